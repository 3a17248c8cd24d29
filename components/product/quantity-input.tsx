'use client';

import { useId, useState } from 'react';
import { MAX_LINE_QUANTITY } from '@/lib/shop/domain/cart-lines';

type Props = {
  value: number;
  /** `typed`: from the field as it is typed in (each keystroke that makes a quantity), not from − or +. */
  onChange(quantity: number, typed: boolean): void;
  /** The field was left: typing, if any, is done. */
  onTypingDone?(): void;
  /** Names the item in the labels when several steppers share a page ("Quantity of Gentle Gel Cleanser, 150 ml"). */
  itemName?: string;
  hideLabel?: boolean;
};

/**
 * A 1–99 stepper. Typing is kept as a draft until it is a whole number, then clamped and committed; a number over
 * 99 is said to be too many (beside the field, announced), never silently turned into 99. A draft left that is no
 * quantity (0, -3, empty) is said to be one too, as the field goes back to the quantity it kept.
 */
export function QuantityInput({ value, onChange, onTypingDone, itemName, hideLabel = false }: Props) {
  const id = useId();
  const of = itemName ? ` of ${itemName}` : '';
  const [draft, setDraft] = useState<string | null>(null);
  const [notice, setNotice] = useState<'capped' | 'invalid' | null>(null);
  const commit = (n: number, typed = false) => {
    setDraft(null);
    setNotice(n > MAX_LINE_QUANTITY ? 'capped' : null);
    onChange(Math.min(MAX_LINE_QUANTITY, Math.max(1, Math.trunc(n))), typed);
  };
  const step =
    'h-10 w-10 text-lg text-stone-700 hover:bg-stone-100 disabled:text-stone-300 disabled:hover:bg-transparent';
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-sm font-medium text-stone-700'}>
        Quantity{of}
      </label>
      <div className="inline-flex w-fit items-center rounded-full border border-stone-300 bg-white">
        <button
          type="button"
          className={`${step} rounded-l-full`}
          aria-label={`Decrease quantity${of}`}
          disabled={value <= 1}
          onClick={() => commit(value - 1)}
        >
          −
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_LINE_QUANTITY}
          value={draft ?? String(value)}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (e.target.value !== '' && Number.isInteger(n) && n >= 1) commit(n, true);
            else {
              setDraft(e.target.value);
              setNotice(null);
            }
          }}
          onBlur={() => {
            onTypingDone?.();
            if (draft === null) return;
            setDraft(null);
            setNotice('invalid');
          }}
          className="h-10 w-12 [appearance:textfield] border-x border-stone-200 text-center text-sm tabular-nums focus:outline-none [&::-webkit-inner-spin-button]:appearance-none"
        />
        <button
          type="button"
          className={`${step} rounded-r-full`}
          aria-label={`Increase quantity${of}`}
          disabled={value >= MAX_LINE_QUANTITY}
          onClick={() => commit(value + 1)}
        >
          +
        </button>
      </div>
      <p role="status" className="text-xs text-amber-800">
        {notice === 'capped'
          ? `At most ${MAX_LINE_QUANTITY} of one item per order: the quantity is set to ${MAX_LINE_QUANTITY}.`
          : notice === 'invalid'
            ? `Enter a whole number from 1 to ${MAX_LINE_QUANTITY}: the quantity stays ${value}.`
            : ''}
      </p>
    </div>
  );
}
