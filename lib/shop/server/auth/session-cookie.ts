/** Name of the httpOnly session cookie; its own module so the proxy can read it without the session code. */
export const SESSION_COOKIE = 'glowlab_session';
