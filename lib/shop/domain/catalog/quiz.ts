import type { Quiz } from './schema';

/** The skin quiz: each answer scores skin types; each result recommends catalogue SKUs (a routine, in order). */
export const quiz: Quiz = {
  id: 'skin-quiz-v1',
  questions: [
    {
      id: 'after-cleansing',
      prompt: 'How does your skin feel an hour after cleansing?',
      options: [
        { id: 'tight', label: 'Tight or flaky', scores: { dry: 2 } },
        { id: 'shiny', label: 'Shiny all over', scores: { oily: 2 } },
        { id: 't-zone', label: 'Shiny forehead and nose, normal elsewhere', scores: { combination: 2 } },
        { id: 'stinging', label: 'Red, warm or stinging', scores: { sensitive: 2 } },
      ],
    },
    {
      id: 'midday',
      prompt: 'By midday, what do you notice most?',
      options: [
        { id: 'dull', label: 'Dullness or rough patches', scores: { dry: 2 } },
        { id: 'oil', label: 'Oil and visible pores', scores: { oily: 2 } },
        { id: 'mixed', label: 'An oily T-zone with dry cheeks', scores: { combination: 2 } },
        { id: 'redness', label: 'Blotchy redness', scores: { sensitive: 2 } },
      ],
    },
    {
      id: 'new-products',
      prompt: 'How does your skin usually react to a new product?',
      options: [
        { id: 'fine', label: 'It is usually fine', scores: { oily: 1, combination: 1 } },
        { id: 'breakouts', label: 'I sometimes break out', scores: { oily: 1, combination: 1 } },
        { id: 'irritation', label: 'It often itches or stings', scores: { sensitive: 3 } },
        { id: 'thirsty', label: 'It drinks it up and asks for more', scores: { dry: 1 } },
      ],
    },
    {
      id: 'goal',
      prompt: 'What would you most like to change?',
      options: [
        { id: 'hydration', label: 'More comfort and hydration', scores: { dry: 2 } },
        { id: 'clarity', label: 'Fewer breakouts and less shine', scores: { oily: 2 } },
        { id: 'balance', label: 'A more even, balanced feel', scores: { combination: 2 } },
        { id: 'calm', label: 'Calmer, less reactive skin', scores: { sensitive: 2 } },
      ],
    },
  ],
  results: {
    dry: {
      title: 'Dry skin',
      summary:
        'Your skin is short on oil and water. Cleanse gently, then layer humectants and a rich cream to keep it comfortable.',
      recommendedSkus: ['GL-CLN-OAT-150', 'GL-SER-HA-30', 'GL-MOI-NGT-50'],
    },
    oily: {
      title: 'Oily skin',
      summary:
        'Your skin makes plenty of oil. Keep pores clear and hydrate with light textures that will not add shine.',
      recommendedSkus: ['GL-CLN-BHA-150', 'GL-SER-NIA-30', 'GL-MOI-GEL-50'],
    },
    combination: {
      title: 'Combination skin',
      summary:
        'Your T-zone and cheeks want different things. Balance both with a gentle cleanse and a hydrating, oil-free routine.',
      recommendedSkus: ['GL-CLN-GEL-150', 'GL-SER-NIA-15', 'GL-MOI-GEL-50', 'GL-MOI-SPF-50'],
    },
    sensitive: {
      title: 'Sensitive skin',
      summary: 'Your barrier reacts easily. Soothe it, rebuild it and keep the routine short and fragrance-free.',
      recommendedSkus: ['GL-CLN-OAT-150', 'GL-SER-CICA-30', 'GL-MOI-BAR-50'],
    },
  },
};
