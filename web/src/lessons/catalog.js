// The course's lessons in the outline's order. Each is a URL preset
// (`lesson=<id>` brings these settings along; keys given beside it win) and
// its text lives in the string tables as lesson.<id>.title / .body / .try.
// Playground lessons set the network and data; panel lessons open a panel.
//
// `mode` is the frame-by-frame setting the stepping view adds: until the
// settings table has it, lessonPreset() leaves it out and the lesson opens
// the playground stepping one batch per press.
export const LESSONS = [
  {
    id: 'perceptron',
    preset: { dataset: 'gauss', networkShape: [], features: ['x1', 'x2'], learningRate: 0.03, noise: 10 },
  },
  {
    id: 'xor',
    preset: { dataset: 'xor', networkShape: [4], activation: 'tanh', features: ['x1', 'x2'], learningRate: 0.03 },
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
