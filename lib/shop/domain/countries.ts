/**
 * The countries the shop ships to, with their shipping and tax rules. No import of the catalogue: the checkout form
 * lists them in the browser.
 */
export type Country = {
  code: string;
  name: string;
  shippingCents: number;
  taxRate: number;
  freeShippingOverCents?: number;
};

export const COUNTRIES = [
  { code: 'US', name: 'United States', shippingCents: 595, taxRate: 0.0725, freeShippingOverCents: 5000 },
  { code: 'CA', name: 'Canada', shippingCents: 995, taxRate: 0.13, freeShippingOverCents: 7500 },
  { code: 'GB', name: 'United Kingdom', shippingCents: 795, taxRate: 0.2, freeShippingOverCents: 6000 },
  { code: 'IE', name: 'Ireland', shippingCents: 895, taxRate: 0.23, freeShippingOverCents: 6000 },
  { code: 'DE', name: 'Germany', shippingCents: 895, taxRate: 0.19, freeShippingOverCents: 6000 },
  { code: 'FR', name: 'France', shippingCents: 895, taxRate: 0.2, freeShippingOverCents: 6000 },
  { code: 'NL', name: 'Netherlands', shippingCents: 895, taxRate: 0.21, freeShippingOverCents: 6000 },
  { code: 'SE', name: 'Sweden', shippingCents: 995, taxRate: 0.25 },
  { code: 'AU', name: 'Australia', shippingCents: 1495, taxRate: 0.1, freeShippingOverCents: 10000 },
  { code: 'JP', name: 'Japan', shippingCents: 1295, taxRate: 0.1 },
] as const satisfies readonly Country[];

export type CountryCode = (typeof COUNTRIES)[number]['code'];

const countries = new Map<string, Country>(COUNTRIES.map((c) => [c.code, c]));

export function isCountryCode(x: string): x is CountryCode {
  return countries.has(x);
}

export function getCountry(code: CountryCode): Country {
  return countries.get(code)!;
}
