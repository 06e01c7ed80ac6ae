// The course's lessons in the outline's order. Each is a URL preset
// (`lesson=<id>` brings these settings along; keys given beside it win) and
// its text lives in the string tables as lesson.<id>.title / .summary / .body
// / .try. Playground lessons set the network and data; panel lessons open a
// panel; `mode: 'frames'` opens the playground frame by frame.
export const LESSONS = [
  {
    // Seed 11 starts with the line the wrong way round (0 % test accuracy); one batch per frame
    // and a small rate let the learner watch it turn.
    id: 'perceptron',
    preset: {
      dataset: 'gauss', networkShape: [], features: ['x1', 'x2'], learningRate: 0.003, noise: 10, seed: 11, speed: '1b',
    },
  },
  {
    id: 'xor',
    preset: { dataset: 'xor', networkShape: [4], activation: 'tanh', features: ['x1', 'x2'], learningRate: 0.03 },
  },
  { id: 'chain', preset: { panel: 'chain' } },
  {
    // The outline's perceptron regression: ŷ = w₀ + w₁x (the bias and the weight of X₁), MSE,
    // a batch of four so the sums of ∂L/∂w₀ and ∂L/∂w₁ have a few terms.
    id: 'regression',
    preset: {
      problem: 'regression', regDataset: 'plane', networkShape: [], features: ['x1'], learningRate: 0.01, noise: 0,
      batchSize: 4, mode: 'frames',
    },
  },
  {
    id: 'backprop',
    preset: { dataset: 'gauss', networkShape: [2, 2], activation: 'tanh', features: ['x1', 'x2'], speed: '1b', batchSize: 1, mode: 'frames' },
  },
  { id: 'activations', preset: { panel: 'activations', activationFn: 'sigmoid' } },
  {
    id: 'practice',
    preset: { dataset: 'spiral', networkShape: [8, 8, 6], activation: 'relu', features: ['x1', 'x2'], learningRate: 0.01, optimizer: 'adam' },
  },
  { id: 'vanishing', preset: { panel: 'vanishing' } },
  { id: 'losses', preset: { panel: 'losses' } },
  { id: 'optimizers', preset: { panel: 'optimizers', surface: 'valley' } },
  {
    id: 'schedules',
    preset: {
      panel: 'schedules', schedule: 'plateau', factor: 0.5, patience: 5, dataset: 'spiral', networkShape: [3],
      activation: 'tanh', learningRate: 0.1,
    },
  },
];
