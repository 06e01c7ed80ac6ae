// trainer.toPyTorch(): the exported script, run by Debian's python3 with python3-torch, must give
// the lab's losses for the current weights (it checks them itself) and then, epoch by epoch, the
// losses the lab's own next trainEpoch() calls give, to 1e-9: across every optimizer, schedule,
// loss, output and activation, L1/L2, the lab's own data, and trainers exported after training,
// mid-epoch and mid-batch. One Python process runs many scripts (torch is imported once), two
// processes share the cores.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { expectLabError, labForFile, softmaxConfig, softmaxData, using } from '../helpers/lab.mjs';

const lab = await labForFile();
const python = '/usr/bin/python3';
const dir = await mkdtemp(path.join(tmpdir(), 'bplab-pytorch-'));
after(() => rm(dir, { recursive: true, force: true }));
const EPOCHS = 3;

const base = {
  seed: 5, features: ['x1', 'x2'], batchSize: 10, init: 'xavier',
  dataset: { name: 'circle', samples: 120, noise: 0.1, trainRatio: 0.5 },
};
const tanh = (units) => ({ units, activation: 'tanh' });
const own = softmaxData(37);

// Each case: a config, what the lab does before exporting, and a name.
const cases = [
  { name: 'sgd, mse on a tanh output (±1 targets), a fresh trainer', config: { ...base, layers: [tanh(4), tanh(1)], loss: 'mse', optimizer: { name: 'sgd', lr: 0.05 } } },
  { name: 'momentum, bce, StepLR, L2, after 3 epochs',
    config: { ...base, layers: [tanh(4), { units: 1, activation: 'sigmoid' }], loss: 'bce', optimizer: { name: 'momentum', lr: 0.05 },
      schedule: { name: 'step', stepSize: 2, gamma: 0.5 }, regularization: { kind: 'l2', rate: 0.01 } }, epochs: 3 },
  { name: 'nesterov, cce on softmax, ExponentialLR, L1, after 2 epochs',
    config: { ...base, dataset: { name: 'spiral', samples: 150, noise: 0.1, trainRatio: 0.6, classes: 3 }, layers: [tanh(5), { units: 3, activation: 'softmax' }],
      loss: 'cce', optimizer: { name: 'nesterov', lr: 0.03 }, schedule: { name: 'exponential', gamma: 0.9 }, regularization: { kind: 'l1', rate: 0.003 } }, epochs: 2 },
  { name: 'sgd with dampening and weight decay, no shuffling, mid-epoch',
    config: { ...base, shuffle: false, layers: [tanh(3), tanh(1)], loss: 'mse', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 } },
    epochs: 1, steps: 2 },
  { name: 'adagrad with lrDecay and an initial accumulator, half_mse, CosineAnnealingLR over its restart',
    config: { ...base, layers: [tanh(4), tanh(1)], loss: 'half_mse',
      optimizer: { name: 'adagrad', lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.001 }, schedule: { name: 'cosine', tMax: 2, etaMin: 0.01 } }, epochs: 2 },
  { name: 'rmsprop centered with momentum, regression on a linear output, plateau on the training loss',
    config: { ...base, dataset: { name: 'plane', samples: 100, noise: 0.1, trainRatio: 0.5 }, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'linear' }],
      loss: 'mse', optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.5, centered: true, alpha: 0.9 },
      schedule: { name: 'plateau', metric: 'train', patience: 0, factor: 0.5, threshold: 0.5 } }, epochs: 2 },
  { name: 'rmsprop plain, relu and every feature, a fresh trainer',
    config: { ...base, features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], layers: [{ units: 3, activation: 'relu' }, tanh(1)],
      loss: 'mse', optimizer: { name: 'rmsprop', lr: 0.01 } } },
  { name: 'adam with amsgrad, leaky ReLU, bce, plateau on the test loss',
    config: { ...base, dataset: { name: 'xor', samples: 120, noise: 0.1, trainRatio: 0.5 }, layers: [{ units: 4, activation: 'leakyRelu', alpha: 0.2 }, { units: 1, activation: 'sigmoid' }],
      loss: 'bce', optimizer: { name: 'adam', lr: 0.05, amsgrad: true, weightDecay: 0.001 },
      schedule: { name: 'plateau', metric: 'test', patience: 1, factor: 0.5, threshold: 0.2, cooldown: 1 } }, epochs: 3 },
  { name: 'adamw, ELU and ReLU layers, cce, exported mid-epoch and mid-batch',
    config: { ...base, dataset: { name: 'blobs', samples: 120, noise: 0.2, trainRatio: 0.5, classes: 4 },
      layers: [{ units: 5, activation: 'elu', alpha: 0.7 }, { units: 4, activation: 'relu' }, { units: 4, activation: 'softmax' }],
      loss: 'cce', optimizer: { name: 'adamw', lr: 0.02 }, regularization: { kind: 'l2', rate: 0.001 } }, epochs: 1, steps: 3, phases: 4 },
  { name: 'mse on a softmax output (the course\'s comparison), adam',
    config: { ...base, dataset: { name: 'spiral', samples: 90, noise: 0.1, trainRatio: 0.5, classes: 3 }, layers: [tanh(4), { units: 3, activation: 'softmax' }],
      loss: 'mse', optimizer: { name: 'adam', lr: 0.02 } }, epochs: 1 },
  { name: 'mse on a sigmoid output, gauss, half the batch size of a partial last batch',
    config: { ...base, batchSize: 7, dataset: { name: 'gauss', samples: 100, noise: 0.2, trainRatio: 0.5 }, layers: [tanh(2), { units: 1, activation: 'sigmoid' }],
      loss: 'mse', optimizer: { name: 'momentum', lr: 0.1 }, regularization: { kind: 'l1', rate: 0.01 } }, epochs: 1 },
  { name: 'a live change of rate and schedule after 2 epochs: the cosine schedule restarts from the new rate, the moments stay',
    config: { ...base, layers: [tanh(3), tanh(1)], loss: 'mse', optimizer: { name: 'adam', lr: 0.02 } }, epochs: 2,
    reconfigure: { ...base, layers: [tanh(3), tanh(1)], loss: 'mse', optimizer: { name: 'adam', lr: 0.05 }, schedule: { name: 'cosine', tMax: 4 } } },
  { name: 'the lab\'s own data (setData), raw inputs, cce, after 2 epochs',
    config: softmaxConfig, data: own, epochs: 2 },
  { name: 'own data with features and soft bce targets, StepLR',
    config: { seed: 9, features: ['x1', 'x2', 'x1x2'], layers: [tanh(3), { units: 1, activation: 'sigmoid' }], loss: 'bce',
      optimizer: { name: 'adam', lr: 0.05 }, schedule: { name: 'step', stepSize: 1, gamma: 0.8 }, batchSize: 6 },
    data: { x: Float64Array.from({ length: 58 }, (_, i) => Math.cos(0.7 * i) * 3), y: Float64Array.from({ length: 29 }, (_, i) => (Math.sin(i) + 1) / 2), n: 29 }, epochs: 1 },
];

// Exports each case after its preparation, then records the lab's next EPOCHS epochs.
async function exportCase(c, k, language = 'en') {
  const { script, epochs } = using(lab, c.config, (t) => {
    if (c.data) t.setData(c.data.x, c.data.y, c.data.n);
    for (let e = 0; e < (c.epochs ?? 0); e++) t.trainEpoch();
    if (c.reconfigure) t.reconfigure(c.reconfigure);
    for (let s = 0; s < (c.steps ?? 0); s++) t.trainStep();
    for (let s = 0; s < (c.phases ?? 0); s++) t.stepPhase();
    const before = t.snapshot();
    const text = t.toPyTorch({ epochs: EPOCHS, language });
    assert.deepEqual(t.snapshot(), before, `${c.name}: exporting changed the trainer`);
    return { script: text, epochs: Array.from({ length: EPOCHS }, () => t.trainEpoch()) };
  });
  const file = path.join(dir, `case-${k}-${language}.py`);
  await writeFile(file, script);
  return { file, epochs, script };
}

// Runs scripts in one Python process: each one's exit code and output.
const driver = `
import contextlib, io, json, runpy, sys
results = []
for path in sys.argv[1:]:
    out = io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name='__main__')
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
        out.write(str(e.code))
    except Exception as e:
        code = 2
        out.write(repr(e))
    results.append({'path': path, 'code': code, 'stdout': out.getvalue()})
print(json.dumps(results))
`;

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runScripts(files) {
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)].filter((h) => h.length);
  const runs = await Promise.all(halves.map((h) => run(['-c', driver, ...h])));
  const results = new Map();
  for (const r of runs) {
    assert.equal(r.code, 0, r.stderr);
    for (const one of JSON.parse(r.stdout)) results.set(one.path, one);
  }
  return results;
}

const available = existsSync(python) && (await run(['-c', 'import torch'])).code === 0;
const skip = available ? false : `${python} with torch is not installed (scripts/setup.sh installs python3-torch)`;

const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) <= 1e-9, `${what}: ${actual} vs the lab's ${expected}`);

test('every exported script checks the lab\'s losses and trains the lab\'s next epochs, to 1e-9', { skip }, async () => {
  const exported = [];
  for (const [k, c] of cases.entries()) exported.push({ c, ...(await exportCase(c, k)) });
  const results = await runScripts(exported.map((e) => e.file));
  for (const { c, file, epochs } of exported) {
    const { code, stdout } = results.get(file);
    assert.equal(code, 0, `${c.name}: the script failed:\n${stdout}`);
    const lines = stdout.trim().split('\n');
    const checks = lines.filter((l) => l.startsWith('train loss') || l.startsWith('test loss'));
    assert.ok(checks.length >= 1, `${c.name}: no start losses printed:\n${stdout}`);
    for (const l of checks) {
      const [, mine, labs] = l.match(/loss (\S+) \(lab (\S+)\)/);
      close(Number(mine), Number(labs), `${c.name}: ${l.split(' ')[0]} loss`);
    }
    const printed = lines.filter((l) => l.startsWith('epoch ')).map((l) => l.split(' '));
    assert.equal(printed.length, EPOCHS, `${c.name}: ${stdout}`);
    printed.forEach(([, k, , loss], e) => {
      assert.equal(Number(k), epochs[e].epoch, `${c.name}: epoch number`);
      close(Number(loss), epochs[e].loss, `${c.name}: epoch ${k}`);
    });
  }
});

test('a script run on its own exits 0, and with Korean comments too; one whose lab losses are wrong exits non-zero', { skip }, async () => {
  const { file, script } = await exportCase(cases[2], 'ko', 'ko');
  assert.match(script, /# .*[가-힣]/);
  assert.match(script, /^import torch$/m);
  assert.match(script, /nn\.Sequential\(/);
  assert.match(script, /torch\.optim\.SGD\(model\.parameters\(\), lr=0\.03, momentum=0\.9, dampening=0\.0, nesterov=True, weight_decay=0\.0\)/);
  const ok = await run([file]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim().split('\n').filter((l) => l.startsWith('epoch ')).length, EPOCHS);

  const text = await readFile(file, 'utf8');
  const wrong = text.replace(/^lab_train_loss = (.*)$/m, (_, x) => `lab_train_loss = ${Number(x) + 1e-6}`);
  assert.notEqual(wrong, text);
  await writeFile(file, wrong);
  const refused = await run([file]);
  assert.notEqual(refused.code, 0, 'a script whose losses differ from the lab\'s must fail');
  assert.match(refused.stderr, /실험실의 손실과 다릅니다/);  // its own check, not a crash
  assert.doesNotMatch(refused.stdout, /^epoch /m);
});

test('the script writes the weights exactly, in the lab\'s layout', () => {
  using(lab, cases[8].config, (t) => {
    t.trainEpoch();
    const script = t.toPyTorch({ epochs: 1 });
    const block = script.slice(script.indexOf('weights = ['), script.indexOf('biases = ['));
    // The lines without a comment hold the weights, each layer's rows in order.
    const values = block.split('\n').filter((l) => !l.includes('#')).join(' ').match(/-?\d[\d.e+-]*/g).map(Number);
    const weights = [0, 1, 2].flatMap((l) => Array.from(t.getWeights(l)));
    assert.deepEqual(values, weights);  // exactly: every double reads back to itself
  });
});

test('toJSON: weights, data and state as plain data; toPyTorch refuses bad options and empty trainers', () => {
  using(lab, cases[1].config, (t) => {
    t.trainEpoch();
    const json = JSON.parse(JSON.stringify(t));
    assert.equal(json.format, 'backprop-lab-trainer');
    assert.deepEqual(json.layers[0].weights, Array.from(t.getWeights(0)));
    assert.deepEqual(json.data.train.points, Array.from(t.data().train.points));
    assert.equal(json.optimizerState[0].weights.step, t.cursor().batchesPerEpoch);
    assert.deepEqual(json.optimizerState[1].biases.momentumBuffer, Array.from(t.trace(1).state.biases.momentumBuffer));
    assert.equal(json.schedule.lastEpoch, 1);
    assert.equal(json.order.length, t.data().train.size);
    expectLabError(() => t.toPyTorch({ epochs: 0 }), { code: 'out_of_range', field: 'epochs', says: '1 to 1000' });
    expectLabError(() => t.toPyTorch({ epochs: 2.5 }), { code: 'out_of_range', field: 'epochs' });
    expectLabError(() => t.toPyTorch({ language: 'fr' }), { code: 'invalid_argument', field: 'language' });
    expectLabError(() => t.toPyTorch({ epoch: 3 }), { code: 'invalid_argument', field: 'epoch' });
  });
  using(lab, { ...softmaxConfig }, (t) => {
    expectLabError(() => t.toPyTorch(), { code: 'no_data', field: 'data' });
  });
});
