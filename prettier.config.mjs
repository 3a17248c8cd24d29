/** Formatting for the whole tree: `npm run format` writes it, `npm run lint` checks it. */
const config = {
  printWidth: 120,
  singleQuote: true,
  trailingComma: 'all',
  plugins: ['prettier-plugin-tailwindcss'],
  // Tailwind 4 reads the theme from the stylesheet, so class sorting knows the project's own utilities.
  tailwindStylesheet: './app/globals.css',
};

export default config;
