export declare function fillPeople(
  file: string,
  options: { people: number; eventsPerPerson?: number; end?: number; prefix?: string },
): number;
export declare function addViews(file: string, options: { count: number; at: number; prefix?: string }): void;
export declare function fillHugeProfile(file: string, options: { id?: string; events: number; end?: number }): number;
