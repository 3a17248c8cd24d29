'use client';

import { useState } from 'react';
import { FormField, SelectField } from '@/components/forms/form-field';
import type { CheckoutDraft } from '@/lib/shop/client/checkout-attempt';
import type { ActionFailure } from '@/lib/shop/server/action';
import { COUNTRIES } from '@/lib/shop/domain/countries';
import { regionsFor } from '@/lib/shop/domain/regions';

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));

/** The country the draft had, if the shop ships there; else the first the shop lists. */
export const draftCountry = (draft: CheckoutDraft): string =>
  COUNTRIES.some((c) => c.code === draft.country) ? draft.country! : COUNTRIES[0].code;

/**
 * The checkout's Shipping address fieldset, prefilled from this tab's draft. The country is the form's (the quote is
 * for it); the region is this fieldset's, emptied when the country changes.
 */
export function ShippingAddressFieldset({
  draft,
  accountName,
  country,
  onCountryChange,
  failure,
}: {
  draft: CheckoutDraft;
  accountName: string | null | undefined;
  country: string;
  onCountryChange(country: string): void;
  failure: ActionFailure | undefined;
}) {
  const [region, setRegion] = useState(draft.region ?? '');
  const regionSet = regionsFor(country);
  return (
    <fieldset className="space-y-4">
      <legend className="mb-2 text-lg font-semibold">Shipping address</legend>
      <FormField
        name="name"
        label="Full name"
        autoComplete="name"
        required
        defaultValue={draft.name ?? accountName ?? undefined}
        failure={failure}
      />
      <FormField
        name="addressLine1"
        label="Street address"
        autoComplete="address-line1"
        required
        defaultValue={draft.addressLine1}
        failure={failure}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          name="city"
          label="City"
          autoComplete="address-level2"
          required
          defaultValue={draft.city}
          failure={failure}
        />
        <FormField
          name="postalCode"
          label="Postal code"
          autoComplete="postal-code"
          required
          defaultValue={draft.postalCode}
          failure={failure}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          name="country"
          label="Country"
          autoComplete="country"
          options={COUNTRY_OPTIONS}
          value={country}
          onChange={(e) => {
            onCountryChange(e.target.value);
            setRegion('');
          }}
          failure={failure}
        />
        {/* Only where addresses need one (US, CA, AU); elsewhere the field is neither shown nor sent. */}
        {regionSet && (
          <SelectField
            name="region"
            label={regionSet.label}
            autoComplete="address-level1"
            required
            placeholder={`Choose a ${regionSet.label.toLowerCase()}`}
            options={regionSet.regions.map((r) => ({ value: r.code, label: r.name }))}
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            failure={failure}
          />
        )}
      </div>
    </fieldset>
  );
}
