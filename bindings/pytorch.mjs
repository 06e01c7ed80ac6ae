// A trainer written out for elsewhere: trainer.toJSON() (weights, data and training state as plain
// data) and trainer.toPyTorch() (one Python file, torch only, that rebuilds the trainer and goes on
// training exactly as the lab would). Both read the trainer through its public API, plus the state
// the engine hands over for them (resumeState: torch's optimizer and scheduler state, the running
// epoch loss and the coming epochs' orders); the hyper-parameters come from the engine's settings
// table, so an optimizer gets exactly the arguments the lab reads for it.
import { LabError } from './index.mjs';
import { SETTINGS } from './settings.mjs';

const plain = (a) => Array.from(a);

/**
 * The trainer as plain data (JSON.stringify(trainer) writes it).
 * @param {import('./index.mjs').Trainer} trainer
 * @param {object} resume  the engine's resumeState(1)
 */
export function trainerJSON(trainer, resume) {
  const sizes = trainer.layerSizes;
  const data = trainer.data();
  const split = (s) => ({ size: s.size, points: plain(s.points), targets: plain(s.targets), labels: plain(s.labels) });
  const stateOf = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : plain(v)]));
  return {
    format: 'backprop-lab-trainer',
    config: trainer.config,
    layerSizes: [...sizes],
    layers: sizes.slice(1).map((units, l) => ({
      inputs: sizes[l], units, weights: plain(trainer.getWeights(l)), biases: plain(trainer.getBiases(l)),
    })),
    data: { pointSize: data.pointSize, classification: data.classification, classes: data.classes, train: split(data.train), test: split(data.test) },
    cursor: trainer.cursor(),
    evaluation: trainer.evaluate(),
    optimizerState: resume.optimizer.map((s) => ({ weights: stateOf(s.weights), biases: stateOf(s.biases) })),
    // best is Infinity until the plateau schedule has seen an epoch: JSON writes that as null.
    schedule: resume.schedule,
    epochLoss: resume.epochLoss,
    order: plain(resume.orders[0]),
  };
}

// ---- numbers and names as Python writes them -----------------------------------------------------

// A double as Python reads back exactly: JS writes the shortest decimal that rounds to this very
// double (ECMAScript Number::toString), which Python's float() reads to the same bits.
function num(x) {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "-float('inf')";
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.en]/.test(s) ? s : `${s}.0`;
}
const list = (values) => `[${Array.from(values, num).join(', ')}]`;
const rows = (values, width, indent) => {
  const out = [];
  for (let r = 0; r < values.length / width; r++) out.push(`${indent}${list(values.slice(r * width, (r + 1) * width))},`);
  return out.join('\n');
};
const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const pyValue = (setting, value) => {
  if (setting.type === 'flag') return value ? 'True' : 'False';
  if (setting.type === 'count') return String(value);
  if (setting.type === 'choice') return `'${value}'`;
  return num(value);
};

const OPTIMIZERS = { sgd: 'SGD', momentum: 'SGD', nesterov: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW' };
const SCHEDULES = { step: 'StepLR', exponential: 'ExponentialLR', cosine: 'CosineAnnealingLR', plateau: 'ReduceLROnPlateau' };
const TORCH_ARG = { tMax: 'T_max' };  // the rest is the setting's name in snake_case
const ACTIVATIONS = {
  tanh: () => 'nn.Tanh()', sigmoid: () => 'nn.Sigmoid()', relu: () => 'nn.ReLU()',
  leakyRelu: (a) => `nn.LeakyReLU(${num(a)})`, elu: (a) => `nn.ELU(${num(a)})`, softmax: () => 'nn.Softmax(dim=1)',
};
const FEATURES = {
  x1: 'x1', x2: 'x2', x1sq: 'x1 * x1', x2sq: 'x2 * x2', x1x2: 'x1 * x2', sinx1: 'torch.sin(x1)', sinx2: 'torch.sin(x2)',
};

// The settings the engine's table says this optimizer or schedule reads, as torch's keyword arguments.
function torchArgs(part, config) {
  const args = [];
  for (const s of SETTINGS) {
    const [group, name] = s.field.split('.');
    if (group !== part || name === 'name' || !s.readers?.includes(config.name)) continue;
    if (name === 'metric' || name === 'beta2') continue;  // the metric is ours; beta2 goes with beta1
    if (name === 'beta1') args.push(`betas=(${num(config.beta1)}, ${num(config.beta2)})`);
    else args.push(`${TORCH_ARG[name] ?? snake(name)}=${pyValue(s, config[name])}`);
  }
  return args;
}

// ---- the script's comments, in the page's languages -----------------------------------------------

const TEXT = {
  en: {
    head: (where, epochs) => [
      `Backprop Lab, exported to PyTorch ${where}.`,
      'This file rebuilds the lab\'s network, data, loss, optimizer and schedule in float64, checks that it',
      `gives the lab's losses, then trains ${epochs} more epoch${epochs === 1 ? '' : 's'} in the lab's batch order, printing`,
      'each epoch\'s mean training loss: the numbers the lab\'s next trainEpoch() calls give.',
      'Run it with:  python3 backprop-lab.py',
    ],
    where: (c) => (c.batch === 0 ? `after epoch ${c.epoch}` : `in epoch ${c.epoch + 1}, before batch ${c.batch + 1} of ${c.batchesPerEpoch}`),
    float64: 'the lab computes in float64',
    data: 'Data: each split\'s points and the targets the loss compares with',
    noTest: 'This lab has no test split.',
    ownPoints: 'The points are the network\'s inputs themselves.',
    features: 'The network\'s inputs: the features of each point (x1, x2)',
    network: 'The network. The lab\'s W[j][i] (from input i to unit j) is weight[j][i] of each nn.Linear',
    outputInLoss: (act, loss) => `${act}: inside ${loss}, which works from the logits`,
    layer: (l, units, inputs) => `layer ${l}: W is ${units} × ${inputs} (units × inputs)`,
    loss: {
      mse: 'The loss: mean squared error over samples and outputs',
      bce: 'The loss: mean binary cross-entropy, computed from the logits (the sigmoid is inside)',
      cce: 'The loss: mean cross-entropy, computed from the logits (the softmax is inside)',
      half_mse: 'The loss: TensorFlow Playground\'s ½(ŷ − y)², averaged as MSELoss averages',
    },
    penalty: {
      l1: 'L1: the lab adds rate · sign(w) to each weight\'s gradient before the step (never to biases,\nnor a term to the loss it reports)',
      l2: 'L2: the lab adds rate · w to each weight\'s gradient before the step (never to biases,\nnor a term to the loss it reports)',
      none: 'No L1/L2 penalty',
    },
    optimizer: 'The optimizer, with the lab\'s hyper-parameters',
    state: 'Its state as torch keeps it in optimizer.state, one entry per parameter (weight, bias of each layer)',
    sgdFirst: 'SGD makes its momentum buffer on its first step, as the lab does',
    schedule: 'The learning-rate schedule, stepped once at the end of every epoch',
    noSchedule: 'No schedule: the rate stays',
    scheduleState: 'where the schedule stands: epochs counted, and the rate for this epoch',
    plateauState: 'the best loss so far, epochs without improvement, cooldown left',
    check: 'The losses of the current weights on each split, and the lab\'s: they must agree to 1e-9',
    mismatch: 'these are not the lab\'s losses',
    orders: 'Each epoch\'s order of the training samples, as the lab\'s seeded shuffle drew it',
    labEpoch: 'epochs the lab has completed',
    inOrder: 'no shuffling: every epoch takes the samples in order',
    trainEpoch: 'One epoch in the lab\'s batches; its loss is the mean of the batch losses (each taken before\nits update, without the penalty), each sample weighing the same',
    partial: (b) => `The lab stopped mid-epoch: the first epoch goes on from batch ${b + 1}, counting the loss of the\nbatches before it`,
    plateauTest: 'ReduceLROnPlateau watches the test loss, evaluated at the epoch\'s end',
    plateauTrain: 'ReduceLROnPlateau watches the epoch\'s mean training loss',
  },
  ko: {
    head: (where, epochs) => [
      `Backprop Lab에서 PyTorch로 내보낸 파일입니다 (${where}).`,
      '실험실의 네트워크, 데이터, 손실, 옵티마이저와 스케줄을 float64로 다시 만들고, 실험실과 같은 손실이',
      `나오는지 확인한 뒤, 실험실의 배치 순서대로 ${epochs} 에포크를 더 학습하며 에포크마다 평균 훈련 손실을`,
      '출력합니다: 실험실에서 다음 trainEpoch() 호출이 돌려주는 값과 같습니다.',
      '실행:  python3 backprop-lab.py',
    ],
    where: (c) => (c.batch === 0 ? `에포크 ${c.epoch}까지 학습한 뒤` : `에포크 ${c.epoch + 1} 도중, 배치 ${c.batchesPerEpoch}개 중 ${c.batch + 1}번째 배치 앞`),
    float64: '실험실은 float64로 계산합니다',
    data: '데이터: 각 분할의 점들과 손실이 비교하는 목표값',
    noTest: '이 실험실에는 테스트 데이터가 없습니다.',
    ownPoints: '점이 곧 네트워크의 입력입니다.',
    features: '네트워크의 입력: 각 점 (x1, x2)의 특성',
    network: '네트워크. 실험실의 W[j][i] (입력 i에서 뉴런 j로)가 각 nn.Linear의 weight[j][i]입니다',
    outputInLoss: (act, loss) => `${act}: 로짓에서 계산하는 ${loss} 안에 들어 있습니다`,
    layer: (l, units, inputs) => `층 ${l}: W는 ${units} × ${inputs} (뉴런 × 입력)`,
    loss: {
      mse: '손실: 샘플과 출력 전체에 대한 평균 제곱 오차',
      bce: '손실: 로짓에서 계산하는 평균 이진 교차 엔트로피 (시그모이드가 안에 들어 있습니다)',
      cce: '손실: 로짓에서 계산하는 평균 교차 엔트로피 (소프트맥스가 안에 들어 있습니다)',
      half_mse: '손실: TensorFlow Playground의 ½(ŷ − y)², MSELoss처럼 평균합니다',
    },
    penalty: {
      l1: 'L1: 실험실은 갱신 전에 각 가중치의 기울기에 rate · sign(w)를 더합니다 (편향에는 더하지 않고,\n보고하는 손실에도 항을 더하지 않습니다)',
      l2: 'L2: 실험실은 갱신 전에 각 가중치의 기울기에 rate · w를 더합니다 (편향에는 더하지 않고,\n보고하는 손실에도 항을 더하지 않습니다)',
      none: 'L1/L2 규제 없음',
    },
    optimizer: '옵티마이저, 실험실의 하이퍼파라미터 그대로',
    state: 'torch가 optimizer.state에 두는 상태, 파라미터마다 하나 (각 층의 가중치, 편향 순서)',
    sgdFirst: 'SGD는 실험실처럼 첫 단계에서 모멘텀 버퍼를 만듭니다',
    schedule: '학습률 스케줄, 에포크가 끝날 때마다 한 번 진행합니다',
    noSchedule: '스케줄 없음: 학습률이 그대로입니다',
    scheduleState: '스케줄의 현재 위치: 센 에포크 수와 이번 에포크의 학습률',
    plateauState: '지금까지 가장 좋은 손실, 나아지지 않은 에포크 수, 남은 쿨다운',
    check: '현재 가중치로 구한 각 분할의 손실과 실험실의 손실: 1e-9 안에서 같아야 합니다',
    mismatch: '실험실의 손실과 다릅니다',
    orders: '에포크마다 훈련 샘플의 순서, 실험실의 시드 고정 셔플이 뽑은 그대로',
    labEpoch: '실험실이 마친 에포크 수',
    inOrder: '셔플 없음: 매 에포크 샘플을 순서대로 씁니다',
    trainEpoch: '실험실의 배치로 한 에포크; 손실은 배치 손실(각 갱신 전, 규제 항 없이)의 평균이며\n샘플마다 같은 무게입니다',
    partial: (b) => `실험실이 에포크 도중에 멈췄습니다: 첫 에포크는 배치 ${b + 1}부터 이어 가고, 그 앞 배치들의\n손실을 함께 셉니다`,
    plateauTest: 'ReduceLROnPlateau는 에포크가 끝날 때 계산한 테스트 손실을 봅니다',
    plateauTrain: 'ReduceLROnPlateau는 에포크의 평균 훈련 손실을 봅니다',
  },
};

const comment = (text, indent = '') => text.split('\n').map((line) => `${indent}# ${line}`).join('\n');

function readOptions(options) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LabError({ code: 'invalid_argument', field: 'options', message: 'options must be an object { epochs, language }' });
  }
  for (const key of Object.keys(options)) {
    if (key !== 'epochs' && key !== 'language') {
      throw new LabError({ code: 'invalid_argument', field: key, message: `${key} is not an option; allowed: epochs, language` });
    }
  }
  const { epochs = 10, language = 'en' } = options;
  if (!TEXT[language]) {
    throw new LabError({ code: 'invalid_argument', field: 'language', message: `language is ${String(language)}; allowed: 'en' or 'ko'` });
  }
  return { epochs, language };  // the engine checks epochs (a whole number, 1 to 1000)
}

/**
 * The text of a Python script (torch only) that rebuilds the trainer and trains `epochs` epochs.
 * @param {import('./index.mjs').Trainer} trainer
 * @param {{ epochs?: number, language?: 'en'|'ko' }} [options]
 * @param {(epochs: number) => object} resumeState  the engine's resumeState
 * @returns {string}
 */
export function pytorchScript(trainer, options, resumeState) {
  const { epochs, language } = readOptions(options);
  if (trainer.data().train.size === 0) {
    throw new LabError({ code: 'no_data', field: 'data', message: 'there is no training data to export: give a dataset in the config or call setData' });
  }
  const resume = resumeState(epochs);
  const t = TEXT[language];
  const config = trainer.config;
  const sizes = trainer.layerSizes;
  const data = trainer.data();
  const cursor = trainer.cursor();
  const lab = trainer.evaluate();
  const outputs = sizes[sizes.length - 1];
  const hasTest = data.test.size > 0;
  const out = [];
  const line = (...texts) => out.push(...texts);

  line(...t.head(t.where(cursor), epochs).map((s) => `# ${s}`));
  line('import sys', '', 'import torch', 'from torch import nn', '');
  line(`torch.set_default_dtype(torch.float64)  # ${t.float64}`, '');
  line('', 'def tensor(values):', '    return torch.tensor(values, dtype=torch.float64)', '', '');

  // Data.
  line(comment(t.data));
  const splitText = (name, s) => {
    line(`${name}_points = tensor([`, rows(s.points, data.pointSize, '    '), `]).reshape(-1, ${data.pointSize})`);
    line(`${name}_targets = tensor([`, rows(s.targets, outputs, '    '), `]).reshape(-1, ${outputs})`);
  };
  splitText('train', data.train);
  if (hasTest) splitText('test', data.test);
  else line(comment(t.noTest));
  line('');
  if (config.features) {
    line(comment(t.features), 'def features(points):', '    x1, x2 = points[:, 0], points[:, 1]');
    line(`    return torch.stack([${config.features.map((f) => FEATURES[f]).join(', ')}], dim=1)`, '', '');
  } else {
    line(comment(t.ownPoints), 'def features(points):', '    return points', '', '');
  }
  line('X_train, Y_train = features(train_points), train_targets');
  if (hasTest) line('X_test, Y_test = features(test_points), test_targets');
  line('', '');

  // The network.
  const logitsLoss = { bce: 'sigmoid', cce: 'softmax' }[config.loss];
  const torchLoss = { bce: 'nn.BCEWithLogitsLoss', cce: 'nn.CrossEntropyLoss' }[config.loss];
  line(comment(t.network), 'model = nn.Sequential(');
  config.layers.forEach((layer, l) => {
    const parts = [`nn.Linear(${sizes[l]}, ${sizes[l + 1]})`];
    const last = l === config.layers.length - 1;
    let note = '';
    if (last && layer.activation === logitsLoss) note = `  # ${t.outputInLoss(layer.activation, torchLoss)}`;
    else if (layer.activation !== 'linear') parts.push(ACTIVATIONS[layer.activation](layer.alpha));
    line(`    ${parts.join(', ')},${note}`);
  });
  line(')', 'linears = [m for m in model if isinstance(m, nn.Linear)]', 'weights = [');
  for (let l = 0; l < sizes.length - 1; l++) {
    line(`    [  # ${t.layer(l, sizes[l + 1], sizes[l])}`, rows(trainer.getWeights(l), sizes[l], '        '), '    ],');
  }
  line(']', 'biases = [');
  for (let l = 0; l < sizes.length - 1; l++) line(`    ${list(trainer.getBiases(l))},`);
  line(']', 'with torch.no_grad():', '    for linear, W, b in zip(linears, weights, biases):');
  line('        linear.weight.copy_(tensor(W))', '        linear.bias.copy_(tensor(b))', '', '');

  // The loss and the penalty.
  line(comment(t.loss[config.loss]));
  if (config.loss === 'mse') line('loss_fn = nn.MSELoss()');
  else if (config.loss === 'half_mse') line('mse = nn.MSELoss()', '', '', 'def loss_fn(output, target):', '    return 0.5 * mse(output, target)', '', '');
  else line(`loss_fn = ${torchLoss}()`);
  line('');
  const { kind, rate } = config.regularization;
  line(comment(t.penalty[kind === 'none' || rate === 0 ? 'none' : kind]));
  if (kind === 'none' || rate === 0) {
    line('def add_penalty():', '    pass', '', '');
  } else {
    line(`penalty_rate = ${num(rate)}`, '', '', 'def add_penalty():', '    for linear in linears:');
    line(`        linear.weight.grad += penalty_rate * ${kind === 'l1' ? 'torch.sign(linear.weight)' : 'linear.weight'}`, '', '');
  }

  // The optimizer and its state.
  const opt = config.optimizer;
  const sgdFamily = OPTIMIZERS[opt.name] === 'SGD';
  line(comment(t.optimizer));
  line(`optimizer = torch.optim.${OPTIMIZERS[opt.name]}(model.parameters(), ${torchArgs('optimizer', opt).join(', ')})`);
  line(comment(t.state));
  if (sgdFamily) line(comment(t.sgdFirst));
  line('optimizer_state = [');
  resume.optimizer.forEach((layer, l) => {
    for (const [part, s] of [['weight', layer.weights], ['bias', layer.biases]]) {
      const entries = [];
      if (!sgdFamily) entries.push(`'step': ${num(s.step)}`);
      for (const [key, values] of Object.entries(s)) {
        if (key === 'step' || (sgdFamily && s.step === 0)) continue;
        entries.push(`'${snake(key)}': ${list(values)}`);
      }
      line(`    {${entries.join(', ')}},  # ${l}.${part}`);
    }
  });
  line(']', 'for param, saved in zip(model.parameters(), optimizer_state):');
  line('    optimizer.state[param].update({key: tensor(value).reshape(param.shape) if key != \'step\' else tensor(value)');
  line('                                   for key, value in saved.items()})', '', '');

  // The schedule and its state.
  const schedule = config.schedule;
  const plateau = schedule.name === 'plateau';
  if (schedule.name === 'constant') {
    line(comment(t.noSchedule), 'scheduler = None');
  } else {
    const extra = plateau ? ["mode='min'", "threshold_mode='rel'"] : [];
    line(comment(t.schedule));
    line(`scheduler = torch.optim.lr_scheduler.${SCHEDULES[schedule.name]}(optimizer, ${[...extra, ...torchArgs('schedule', schedule)].join(', ')})`);
    line(comment(t.scheduleState), `scheduler.last_epoch = ${resume.schedule.lastEpoch}`);
    if (plateau) {
      line(comment(t.plateauState));
      line(`scheduler.best = ${num(resume.schedule.best)}`, `scheduler.num_bad_epochs = ${resume.schedule.numBadEpochs}`);
      line(`scheduler.cooldown_counter = ${resume.schedule.cooldownCounter}`);
    }
  }
  line('for group in optimizer.param_groups:', `    group['lr'] = ${num(resume.schedule.lr)}`, '', '');

  // The check.
  line('def split_loss(X, Y):', '    with torch.no_grad():', '        return loss_fn(model(X), Y).item()', '', '');
  line(comment(t.check));
  const checks = [['train', 'X_train, Y_train', lab.trainLoss]];
  if (hasTest) checks.push(['test', 'X_test, Y_test', lab.testLoss]);
  for (const [name, args, value] of checks) {
    line(`lab_${name}_loss = ${num(value)}`, `${name}_loss = split_loss(${args})`);
    line(`print(f'${name} loss {${name}_loss!r} (lab {lab_${name}_loss!r})')`);
  }
  line(`if ${checks.map(([name]) => `abs(${name}_loss - lab_${name}_loss) > 1e-9`).join(' or ')}:`);
  line(`    sys.exit(${JSON.stringify(t.mismatch)})`, '', '');

  // The orders and the training loop.
  line(`lab_epoch = ${cursor.epoch}  # ${t.labEpoch}`, `batch_size = ${config.batchSize}`, comment(t.orders));
  if (config.shuffle) {
    line('orders = [');
    for (const order of resume.orders) line(`    [${Array.from(order).join(', ')}],`);
    line(']');
  } else {
    line(`orders = [list(range(${data.train.size}))] * ${epochs}  # ${t.inOrder}`);
  }
  line('', '');
  line('def train_epoch(order, first_batch=0, loss_sum=0.0, samples=0):');
  line(comment(t.trainEpoch, '    '));
  line('    for start in range(first_batch * batch_size, len(order), batch_size):');
  line('        rows = order[start:start + batch_size]');
  line('        optimizer.zero_grad()');
  line('        loss = loss_fn(model(X_train[rows]), Y_train[rows])');
  line('        loss.backward()');
  line('        add_penalty()');
  line('        optimizer.step()');
  line('        loss_sum += loss.item() * len(rows)');
  line('        samples += len(rows)');
  line('    return loss_sum / samples', '', '');
  line('for k, order in enumerate(orders):');
  if (cursor.batch > 0) {
    line(comment(t.partial(cursor.batch), '    '));
    line('    if k == 0:');
    line(`        loss = train_epoch(order, first_batch=${cursor.batch}, loss_sum=${num(resume.epochLoss.sum)}, samples=${resume.epochLoss.samples})`);
    line('    else:', '        loss = train_epoch(order)');
  } else {
    line('    loss = train_epoch(order)');
  }
  line("    print(f'epoch {lab_epoch + k + 1} loss {loss!r}')");
  if (plateau) {
    const watchesTest = schedule.metric === 'test' && hasTest;
    line(comment(watchesTest ? t.plateauTest : t.plateauTrain, '    '));
    line(`    scheduler.step(${watchesTest ? 'split_loss(X_test, Y_test)' : 'loss'})`);
  } else if (schedule.name !== 'constant') {
    line('    scheduler.step()');
  }
  return `${out.join('\n')}\n`;
}
