import '../styles.css';
import { loadEngine } from '../../bindings/index.mjs';

const $ = (id) => document.getElementById(id);

async function main() {
  const lab = await loadEngine({
    onProgress: ({ loaded, total }) => {
      $('status').textContent = total ? `Loading the engine… ${Math.round((100 * loaded) / total)} %` : 'Loading the engine…';
    },
  });
  $('version').textContent = lab.version;
  $('status').textContent = 'Ready';
  const trainer = lab.createTrainer({
    seed: 1,
    features: ['x1', 'x2'],
    layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'tanh' }, { units: 1, activation: 'tanh' }],
    loss: 'mse',
    optimizer: { name: 'sgd', lr: 0.03 },
    dataset: { name: 'xor', samples: 500, noise: 0, trainRatio: 0.5 },
  });
  let playing = false;
  const frame = () => {
    if (!playing) return;
    const { epoch } = trainer.trainEpoch();
    $('epoch').textContent = String(epoch);
    $('loss').textContent = trainer.evaluate().trainLoss.toFixed(4);
    requestAnimationFrame(frame);
  };
  $('play').disabled = false;
  $('play').addEventListener('click', () => {
    playing = !playing;
    $('play').textContent = playing ? 'Pause' : 'Play';
    if (playing) requestAnimationFrame(frame);
  });
}

main().catch((err) => {
  $('status').textContent = `Backprop Lab could not start: ${err.message}`;
});
