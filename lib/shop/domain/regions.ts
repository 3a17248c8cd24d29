/**
 * States and provinces for the countries whose addresses need one to be delivered (the postal services of the
 * US, Canada and Australia sort by it). Codes are the ones carriers print (ISO 3166-2 subdivision suffixes).
 * Shared by the checkout form (the select) and the server (validation): a pure module, safe in the browser.
 */
export type Region = { code: string; name: string };
export type RegionSet = { label: string; regions: readonly Region[] };

const regions = (byCode: Record<string, string>): readonly Region[] =>
  Object.entries(byCode).map(([code, name]) => ({ code, name }));

const US = regions({
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  // Territories and military post offices the US Postal Service delivers to.
  AS: 'American Samoa',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands',
  AA: 'Armed Forces Americas',
  AE: 'Armed Forces Europe',
  AP: 'Armed Forces Pacific',
});

const CA = regions({
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NT: 'Northwest Territories',
  NS: 'Nova Scotia',
  NU: 'Nunavut',
  ON: 'Ontario',
  PE: 'Prince Edward Island',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
});

const AU = regions({
  ACT: 'Australian Capital Territory',
  NSW: 'New South Wales',
  NT: 'Northern Territory',
  QLD: 'Queensland',
  SA: 'South Australia',
  TAS: 'Tasmania',
  VIC: 'Victoria',
  WA: 'Western Australia',
});

const REGION_SETS: Partial<Record<string, RegionSet>> = {
  US: { label: 'State', regions: US },
  CA: { label: 'Province or territory', regions: CA },
  AU: { label: 'State or territory', regions: AU },
};

/** The states/provinces a country's addresses need, or undefined when it needs none. */
export function regionsFor(country: string): RegionSet | undefined {
  return REGION_SETS[country];
}

/** The display name of a stored region code ("OR" in the US → "Oregon"), or the code itself if unknown. */
export function regionName(country: string, code: string): string {
  return regionsFor(country)?.regions.find((r) => r.code === code)?.name ?? code;
}
