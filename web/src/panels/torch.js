// The PyTorch beside the math: the call a learner would write in torch for each
// activation, loss, optimizer and schedule the panels show, with the panel's
// current values, as text that pastes into Python. Only text is made here;
// every number written in a comment is one the caller read from the engine.
// Plain functions with no DOM, so the tests can read them in Node; comments
// in the code follow the page's language.
import { t } from '../i18n/index.js';

/** A number as a Python literal: whole numbers with a decimal point (torch tensors of floats), ASCII minus. */
export function py(x) {
  if (!Number.isFinite(x)) return x > 0 ? "float('inf')" : x < 0 ? "-float('inf')" : "float('nan')";
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}

/** A short number for a comment: 4 significant digits (the page's own figures say the same). */
export function note(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e5 || abs < 1e-3 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

const list = (xs) => `[${Array.from(xs, py).join(', ')}]`;

/** What torch calls each element-wise activation, with its parameter (`torch` and `F` imported). */
export function activationCall(name, alpha) {
  switch (name) {
    case 'sigmoid': return 'torch.sigmoid(z)';
    case 'tanh': return 'torch.tanh(z)';
    case 'relu': return 'torch.relu(z)';
    case 'leakyRelu': return `F.leaky_relu(z, ${py(alpha ?? 0.01)})`;
    case 'elu': return (alpha ?? 1) === 1 ? 'F.elu(z)' : `F.elu(z, alpha=${py(alpha)})`;
    case 'linear': return 'torch.nn.Identity()(z)';
    case 'softmax': return 'torch.softmax(z, dim=-1)';
    default: throw new Error(`no torch call for activation ${name}`);
  }
}

const HEADER = ['import torch', 'import torch.nn.functional as F', ''];

/**
 * f(z) and f′(z) at one z, by autograd: `value` and `derivative` are the engine's numbers at z,
 * written as the comments torch would print.
 */
export function activationCode(name, { z, alpha, value, derivative }) {
  return [
    ...HEADER,
    `z = torch.tensor(${py(z)}, dtype=torch.float64, requires_grad=True)`,
    `a = ${activationCall(name, alpha)}`,
    `a.backward()`,
    `print(a.item(), z.grad.item())  # ${note(value)} ${note(derivative)}`,
  ].join('\n');
}

/** Softmax of a score vector; p: the engine's probabilities. */
export function softmaxCode(scores, p) {
  return [
    'import torch',
    '',
    `z = torch.tensor(${list(scores)}, dtype=torch.float64)`,
    'p = torch.softmax(z, dim=-1)',
    `print(p)  # ${Array.from(p, note).join(', ')}`,
  ].join('\n');
}

/**
 * Cross-entropy of one sample from its scores: nn.CrossEntropyLoss takes the logits and the true
 * class counted from 0 (the page counts classes from 1).
 */
export function crossEntropyCode(scores, truth, loss) {
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    `z = torch.tensor([${list(scores)}], dtype=torch.float64)  # ${t('torch.logits')}`,
    `y = torch.tensor([${truth}])  # ${t('torch.trueClass', { n: truth + 1 })}`,
    `print(nn.CrossEntropyLoss()(z, y))  # ${note(loss)}`,
  ].join('\n');
}

/** Binary cross-entropy of one logit z against label y, from the logit and from σ(z). */
export function binaryCode(z, y, loss) {
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    `z = torch.tensor([${py(z)}], dtype=torch.float64)  # ${t('torch.logit')}`,
    `y = torch.tensor([${py(y)}], dtype=torch.float64)  # ${t('torch.label')}`,
    `print(nn.BCEWithLogitsLoss()(z, y))  # ${note(loss)}`,
    `print(nn.BCELoss()(torch.sigmoid(z), y))  # ${note(loss)}: ${t('torch.fromProbability')}`,
  ].join('\n');
}

/**
 * The course's examples: softmax outputs p, classes counted from 0. CrossEntropyLoss takes logits;
 * log p are logits whose softmax is p again, so it gives the cross-entropy of p itself.
 */
export function examplesCode(outputs, classes, ce, mse) {
  const k = outputs[0].length;
  return [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    `p = torch.tensor([${outputs.map(list).join(', ')}], dtype=torch.float64)`,
    `y = torch.tensor(${JSON.stringify(classes)})  # ${t('torch.trueClasses')}`,
    `print(nn.CrossEntropyLoss()(torch.log(p), y))  # ${note(ce)}`,
    `print(nn.MSELoss()(p, F.one_hot(y, ${k}).double()))  # ${note(mse)}`,
  ].join('\n');
}

const OPTIMIZERS = {
  sgd: 'SGD', momentum: 'SGD', nesterov: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW',
};

/**
 * The torch.optim constructor for an optimizer config as createTrainer takes it ({ name, lr,
 * momentum, alpha, beta1, beta2, eps, weightDecay }), writing what differs from torch's defaults,
 * and always lr and the course's RMSProp decay (alpha).
 */
export function optimizerCall(config, params = 'params') {
  const { name } = config;
  const args = [params, `lr=${py(config.lr)}`];
  const momentum = config.momentum ?? (name === 'momentum' || name === 'nesterov' ? 0.9 : 0);
  if (name === 'momentum' || name === 'nesterov' || (name === 'rmsprop' && momentum)) args.push(`momentum=${py(momentum)}`);
  if (name === 'nesterov') args.push('nesterov=True');
  if (name === 'rmsprop') args.push(`alpha=${py(config.alpha ?? 0.99)}`);
  if (name === 'adam' || name === 'adamw') {
    const b1 = config.beta1 ?? 0.9, b2 = config.beta2 ?? 0.999;
    if (b1 !== 0.9 || b2 !== 0.999) args.push(`betas=(${py(b1)}, ${py(b2)})`);
  }
  const eps = config.eps ?? (name === 'adagrad' ? 1e-10 : 1e-8);
  if (name !== 'sgd' && name !== 'momentum' && name !== 'nesterov' && eps !== (name === 'adagrad' ? 1e-10 : 1e-8)) args.push(`eps=${py(eps)}`);
  if (name === 'adamw') args.push(`weight_decay=${py(config.weightDecay ?? 0.01)}`);
  if (!OPTIMIZERS[name]) throw new Error(`no torch optimizer for ${name}`);
  return `torch.optim.${OPTIMIZERS[name]}(${args.join(', ')})`;
}

/** The torch.optim.lr_scheduler constructor for a schedule config, or null for a constant rate. */
export function scheduleCall(schedule, optimizer = 'optimizer') {
  const s = 'torch.optim.lr_scheduler';
  switch (schedule.name) {
    case 'constant': return null;
    case 'step': return `${s}.StepLR(${optimizer}, step_size=${schedule.stepSize}, gamma=${py(schedule.gamma)})`;
    case 'exponential': return `${s}.ExponentialLR(${optimizer}, gamma=${py(schedule.gamma)})`;
    case 'cosine': return `${s}.CosineAnnealingLR(${optimizer}, T_max=${schedule.tMax})`;
    case 'plateau': return `${s}.ReduceLROnPlateau(${optimizer}, factor=${py(schedule.factor)}, patience=${schedule.patience})`;
    default: throw new Error(`no torch scheduler for ${schedule.name}`);
  }
}

/** The torch class name of a schedule (StepLR …), or null for a constant rate. */
export function scheduleName(name) {
  return { step: 'StepLR', exponential: 'ExponentialLR', cosine: 'CosineAnnealingLR', plateau: 'ReduceLROnPlateau' }[name] ?? null;
}

/**
 * A script that prints the rate of each epoch as the schedules panel plots it: the optimizer and
 * scheduler from the settings, stepped once per epoch (the training itself stands in a comment).
 */
export function scheduleCode(optimizer, schedule, epochs) {
  const call = scheduleCall(schedule);
  const plateau = schedule.name === 'plateau';
  return [
    'import torch',
    '',
    `w = torch.zeros(1, requires_grad=True)  # ${t('torch.params')}`,
    `optimizer = ${optimizerCall(optimizer, '[w]')}`,
    ...(call ? [`scheduler = ${call}`] : [`# ${t('torch.constant')}`]),
    `for epoch in range(${epochs}):`,
    "    print(epoch, optimizer.param_groups[0]['lr'])",
    `    optimizer.step()  # ${t('torch.trainHere')}`,
    ...(plateau ? [`    train_loss = 1.0  # ${t('torch.epochLoss')}`] : []),
    ...(call ? [plateau ? '    scheduler.step(train_loss)' : '    scheduler.step()'] : []),
  ].join('\n');
}

/** The optimizer race's surfaces as torch expressions of w = (w₁, w₂) (as documented by lab.surfaceView). */
export const SURFACE_TORCH = {
  valley: '0.5 * (w[0] ** 2 / 10 + 20 * w[1] ** 2)',
  saddle: 'w[0] ** 2 - w[1] ** 2',
  rosenbrock: '(1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2',
};

/**
 * The race for one optimizer in torch: the same start, surface and steps; with noise, a seeded
 * normal draw added to the gradient each step, as the panel does (torch's draws are its own).
 */
export function raceCode(surface, config, start, steps, noise = 0) {
  return [
    'import torch',
    '',
    `w = torch.tensor(${list(start)}, dtype=torch.float64, requires_grad=True)  # ${t('torch.start')}`,
    `opt = ${optimizerCall(config, '[w]')}`,
    ...(noise ? ['torch.manual_seed(0)'] : []),
    `for step in range(${steps}):`,
    '    opt.zero_grad()',
    `    loss = ${SURFACE_TORCH[surface]}`,
    '    loss.backward()',
    ...(noise ? [`    w.grad += ${py(noise)} * torch.randn(2, dtype=torch.float64)  # ${t('torch.noise')}`] : []),
    '    opt.step()',
    'print(w)',
  ].join('\n');
}

/**
 * The comparison of the losses panel in torch: one network (hidden layers of the given units and
 * activation, `classes` logits), its cross-entropy on the logits and its squared error on the
 * softmax probabilities against one-hot targets, on one batch.
 */
export function twoLossesCode({ hidden, activation, classes, lr }) {
  const layer = { tanh: 'nn.Tanh()', relu: 'nn.ReLU()', sigmoid: 'nn.Sigmoid()' }[activation];
  const sizes = [2, ...hidden, classes];
  const parts = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    parts.push(`nn.Linear(${sizes[l]}, ${sizes[l + 1]})`);
    if (l + 2 < sizes.length) parts.push(layer);
  }
  return [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    `model = nn.Sequential(${parts.join(', ')})`,
    `opt = ${optimizerCall({ name: 'sgd', lr }, 'model.parameters()')}`,
    'x = torch.randn(10, 2)',
    `y = torch.randint(0, ${classes}, (10,))`,
    'logits = model(x)',
    `ce = nn.CrossEntropyLoss()(logits, y)  # ${t('torch.ceInside')}`,
    `mse = nn.MSELoss()(torch.softmax(logits, dim=-1), F.one_hot(y, ${classes}).float())`,
    'print(ce.item(), mse.item())',
  ].join('\n');
}

/** The chain panel's y(v(u(x))) in torch: autograd applies the chain rule to give dy/dx. */
export function chainCode({ w, b, target }, x, y, slope) {
  return [
    'import torch',
    '',
    `x = torch.tensor(${py(x)}, dtype=torch.float64, requires_grad=True)`,
    `u = ${py(w)} * x ${b < 0 ? '-' : '+'} ${py(Math.abs(b))}`,
    'v = torch.sigmoid(u)',
    `y = (v - ${py(target)}) ** 2`,
    'y.backward()',
    `print(y.item(), x.grad.item())  # ${note(y)} ${note(slope)}`,
  ].join('\n');
}
