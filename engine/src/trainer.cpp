// The trainer: what each phase computes, in the course's order (forward,
// loss, backward, update, the schedule at an epoch's end), and the calls that
// change a live trainer: weights, data, settings, the probe.
#include "bplab/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/losses.hpp"
#include "bplab/regularization.hpp"

namespace bplab {
namespace {

// order ← 0 … n−1, shuffled when asked; a vector already of size n is not reallocated.
void draw_order(std::vector<std::uint32_t>& order, std::size_t n, bool shuffle, Rng& rng) {
    order.resize(n);
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    if (shuffle) rng.shuffle(order);
}

bool finite(const DenseLayer& layer) {
    return kernels::all_finite(layer.weights.data(), layer.weights.size()) &&
           kernels::all_finite(layer.biases.data(), layer.biases.size());
}

}  // namespace

Trainer::Trainer(TrainerConfig config) : config_(std::move(config)) {
    require_valid(config_);
    // One seeded generator hands out a stream each to data, weights and shuffling,
    // so changing the dataset leaves the initial weights alone.
    Rng master(config_.seed);
    Rng data_rng(master.next());
    Rng init_rng(master.next());
    state_.shuffle_rng.reseed(master.next());

    data_ = dataset_splits(config_, data_rng);
    data_hash_ = hash_split(data_.train);
    state_.network = make_network(config_, init_rng);
    for (const DenseLayer& layer : state_.network.layers) {
        LayerOptimizerState opt;
        init_state(config_.optimizer, layer.weights.size(), opt.weights);
        init_state(config_.optimizer, layer.biases.size(), opt.biases);
        state_.optimizer.push_back(std::move(opt));
    }
    saved_optimizer_ = state_.optimizer;
    state_.schedule = start_schedule(config_.optimizer.lr);
    state_.work = make_batch_work(state_.network, config_.batch_size);
    machine_.reset(state_);
    draw_order(state_.order, data_.train.size(), config_.shuffle, state_.shuffle_rng);
}

// ---- the phases ---------------------------------------------------------------------------------

std::size_t Trainer::batches_per_epoch() const {
    const std::size_t n = data_.train.size(), b = config_.batch_size;
    return (n + b - 1) / b;
}

// The current batch: the next rows of the epoch's order, and the probe's row after them.
void Trainer::gather_batch() {
    BatchWork& w = state_.work;
    const std::size_t in = layer_sizes().front(), out = layer_sizes().back();
    const std::size_t start = state_.at.batch * config_.batch_size;
    w.rows = std::min(config_.batch_size, data_.train.size() - start);
    w.indices.assign(state_.order.begin() + start, state_.order.begin() + start + w.rows);
    for (std::size_t r = 0; r < w.rows; ++r) {
        const std::size_t k = w.indices[r];
        std::copy_n(data_.train.inputs.data() + k * in, in, w.inputs.data() + r * in);
        std::copy_n(data_.train.targets.data() + k * out, out, w.targets.data() + r * out);
    }
    load_probe_row();
}

// forward(l): z = W·a_in + b, a = f(z) for the batch's rows and the probe's (dense.hpp).
void Trainer::forward(std::size_t l) {
    const DenseLayer& layer = state_.network.layers[l];
    LayerTrace& t = state_.work.trace[l];
    bplab::forward(batch_parameters(layer, t), layer.activation, state_.work.input_of(l),
                   state_.work.computed_rows(), t);
    t.forward_done = true;
}

// loss: the mean of the batch's per-sample losses (the probe's is not one of
// them). A non-finite loss is not kept, nor one that would make the epoch's
// running total (and so its mean loss) overflow.
bool Trainer::loss() {
    const BatchWork& w = state_.work;
    const LayerTrace& t = w.trace.back();
    const double loss = mean_loss(config_.loss, t.pre_activation.data(), t.activation.data(), w.targets.data(),
                                  w.rows, layer_sizes().back());
    if (!std::isfinite(loss) || !std::isfinite(state_.epoch.loss_sum + loss * static_cast<double>(w.rows)))
        return false;
    state_.batch_loss = loss;
    return true;
}

// backward(l): ∂ℓ/∂a, f′(z) and ∂ℓ/∂z of every row, then the batch's ∂L/∂W,
// ∂L/∂b and the penalty's share of the weights' gradient.
void Trainer::backward(std::size_t l) {
    const DenseLayer& layer = state_.network.layers[l];
    BatchWork& w = state_.work;
    LayerTrace& t = w.trace[l];
    const std::size_t rows = w.computed_rows();
    if (l + 1 == layer_count()) {
        // The output layer: the loss gives ∂ℓ/∂a, and with f′(z) ∂ℓ/∂z (losses.hpp).
        output_gradients(config_.loss, layer.activation, t.pre_activation.data(), t.activation.data(),
                         w.targets.data(), rows, layer.units(), t.upstream_grad.data(), t.local_grad.data(),
                         t.downstream_grad.data());
    } else {
        // A hidden layer: ∂ℓ/∂a = Wᵀ·∂ℓ/∂z of the layer above, then ∂ℓ/∂z = ∂ℓ/∂a ⊙ f′(z).
        const LayerTrace& above = w.trace[l + 1];
        input_gradient(batch_parameters(state_.network.layers[l + 1], above), above, rows, t.upstream_grad.data());
        unit_gradients(layer.activation, rows, t);
    }
    parameter_gradients(w.input_of(l), w.rows, t);  // the batch's own rows: never the probe
    penalty_gradient(config_.regularization, batch_parameters(layer, t).weights, t.penalty_grad);
    t.backward_done = true;
}

// update: one optimizer step on every layer with the scheduled rate; the
// trace keeps the parameters it started from and the change it made. If a
// parameter or the optimizer state becomes non-finite, all go back.
bool Trainer::update() {
    const double lr = state_.schedule.lr;
    saved_optimizer_ = state_.optimizer;  // same shapes every time: no allocation
    bool all_finite = true;
    for (std::size_t l = 0; l < layer_count(); ++l) {
        DenseLayer& layer = state_.network.layers[l];
        LayerTrace& t = state_.work.trace[l];
        LayerOptimizerState& opt = state_.optimizer[l];
        // Plain loops, not xtensor assignments: they run for every layer of every batch.
        const std::size_t nw = layer.weights.size(), nb = layer.biases.size();
        double *w = layer.weights.data(), *b = layer.biases.data();
        double *dw = t.weight_update.data(), *db = t.bias_update.data();
        const double *w_before = t.weights_before.data(), *b_before = t.biases_before.data();
        std::copy_n(w, nw, t.weights_before.data());
        std::copy_n(b, nb, t.biases_before.data());
        // The gradient the optimizer sees, ∂L/∂W + penalty, built in the update buffers, which then hold the change.
        for (std::size_t i = 0; i < nw; ++i) dw[i] = t.weight_grad.data()[i] + t.penalty_grad.data()[i];
        std::copy_n(t.bias_grad.data(), nb, db);
        optimizer_step(config_.optimizer, lr, w, dw, nw, opt.weights);
        optimizer_step(config_.optimizer, lr, b, db, nb, opt.biases);
        for (std::size_t i = 0; i < nw; ++i) dw[i] = w[i] - w_before[i];
        for (std::size_t i = 0; i < nb; ++i) db[i] = b[i] - b_before[i];
        all_finite = all_finite && finite(layer) && finite_state(opt.weights) &&
                     finite_state(opt.biases);
    }
    if (!all_finite) {
        for (std::size_t l = 0; l < layer_count(); ++l) {
            state_.network.layers[l].weights = state_.work.trace[l].weights_before;
            state_.network.layers[l].biases = state_.work.trace[l].biases_before;
        }
        std::swap(state_.optimizer, saved_optimizer_);
        return false;
    }
    state_.update_lr = lr;
    for (LayerTrace& t : state_.work.trace) t.update_done = true;
    return true;
}

// The epoch is over: the schedule steps on the metric it watches (ReduceLROnPlateau: the test
// loss, evaluated now, or the epoch's mean training loss), and the next epoch's order is drawn.
void Trainer::end_epoch() {
    double metric = state_.epoch.last_loss;
    const ScheduleConfig& schedule = config_.schedule;
    if (schedule.kind == ScheduleKind::plateau && schedule.metric == PlateauMetric::test && data_.test.size() > 0) {
        double accuracy;
        grid_.evaluate(state_.network, config_, data_.test, metric, accuracy);
    }
    step_schedule(schedule, config_.optimizer.lr, metric, state_.schedule);
    draw_order(state_.order, data_.train.size(), config_.shuffle, state_.shuffle_rng);  // same size: no allocation
}

void Trainer::require_data() const {
    if (data_.train.size() == 0)
        throw LabError("no_data", "data", "there is no training data: give a dataset in the config or call setData");
}

PhaseResult Trainer::step_phase() {
    require_data();
    return machine_.step_phase(state_, *this);
}

BatchResult Trainer::train_step() {
    require_data();
    return machine_.train_step(state_, *this);
}

EpochResult Trainer::train_epoch() {
    require_data();
    return machine_.train_epoch(state_, *this);
}

Cursor Trainer::cursor() const {
    const Position& at = state_.at;
    return {at.phase, at.layer, at.epoch, at.batch, batches_per_epoch()};
}

std::vector<std::vector<std::uint32_t>> Trainer::epoch_orders(std::size_t epochs) const {
    std::vector<std::vector<std::uint32_t>> orders;
    if (epochs == 0) return orders;
    orders.push_back(state_.order);
    Rng rng = state_.shuffle_rng;  // a copy: end_epoch draws from the real one
    while (orders.size() < epochs) {
        orders.emplace_back();
        draw_order(orders.back(), data_.train.size(), config_.shuffle, rng);
    }
    return orders;
}

bool Trainer::loss_done() const {
    return state_.at.phase == Phase::backward || state_.at.phase == Phase::update ||
           state_.work.trace.back().backward_done;
}

std::vector<double> Trainer::gradient_sizes() const {
    std::vector<double> sizes;
    for (const LayerTrace& t : state_.work.trace)
        sizes.push_back(t.backward_done ? gradient_size(t) : std::numeric_limits<double>::quiet_NaN());
    return sizes;
}

// ---- parameters and data ------------------------------------------------------------------------

void Trainer::check_layer(std::size_t l, const char* what) const {
    if (l >= layer_count())
        throw LabError("out_of_range", "layer",
                       std::string(what) + ": layer " + std::to_string(l) + " does not exist; allowed: 0 to " +
                           std::to_string(layer_count() - 1));
}

const DenseLayer& Trainer::layer(std::size_t l) const {
    check_layer(l, "layer");
    return state_.network.layers[l];
}

const LayerTrace& Trainer::trace(std::size_t l) const {
    check_layer(l, "trace");
    return state_.work.trace[l];
}

const LayerOptimizerState& Trainer::optimizer_state(std::size_t l) const {
    check_layer(l, "optimizer state");
    return state_.optimizer[l];
}

const double* Trainer::layer_input(std::size_t l) const {
    check_layer(l, "layer input");
    return state_.work.input_of(l);
}

// n finite values into a layer's weights or biases; the current batch starts over.
template <class Tensor>
void Trainer::set_parameters(Tensor& target, const char* field, const double* values, std::size_t n,
                             const std::string& shape) {
    if (n != target.size())
        throw LabError("invalid_argument", field, shape + "; got " + std::to_string(n));
    require_finite(values, n, field);
    std::copy_n(values, n, target.data());
    PhaseMachine::restart_batch(state_);  // the batch's trace no longer matches the parameters
}

void Trainer::set_weights(std::size_t l, const double* w, std::size_t n) {
    check_layer(l, "setWeights");
    set_parameters(state_.network.layers[l].weights, "weights", w, n,
                   "layer " + std::to_string(l) + " has " + std::to_string(layer_sizes()[l + 1] * layer_sizes()[l]) +
                       " weights (" + std::to_string(layer_sizes()[l + 1]) + " units × " +
                       std::to_string(layer_sizes()[l]) + " inputs)");
}

void Trainer::set_biases(std::size_t l, const double* b, std::size_t n) {
    check_layer(l, "setBiases");
    set_parameters(state_.network.layers[l].biases, "biases", b, n,
                   "layer " + std::to_string(l) + " has " + std::to_string(layer_sizes()[l + 1]) + " biases");
}

void Trainer::set_data(const double* x, const double* y, std::size_t n) {
    Split split = caller_split(config_, x, y, n);
    Rng rng = state_.shuffle_rng;
    std::vector<std::uint32_t> order;
    draw_order(order, n, config_.shuffle, rng);
    const std::uint64_t hash = hash_split(split);

    // Everything is built: from here on nothing can throw, so a failure above changed nothing.
    data_.train = std::move(split);
    data_hash_ = hash;
    state_.order = std::move(order);
    state_.shuffle_rng = rng;
    state_.probe.reset();  // its index named a sample of the old data
    machine_.forget_batches(state_);
}

void Trainer::reconfigure(const TrainerConfig& next) {
    require_valid(next);
    const ConfigChange change = compare_configs(config_, next);
    if (!change.refused.empty())
        throw LabError("invalid_config", change.refused,
                       change.refused + " differs; allowed: a live trainer keeps its seed, inputs, layers, loss, "
                                        "init and dataset (build a new trainer to change them)");

    // Build every new piece first; a failure (out of memory) leaves the trainer as it was.
    TrainerConfig merged = next;
    std::vector<LayerOptimizerState> optimizer = state_.optimizer;
    if (change.new_state)  // a different rule keeps different state (torch would start it afresh too)
        for (std::size_t l = 0; l < layer_count(); ++l) {
            init_state(merged.optimizer, state_.network.layers[l].weights.size(), optimizer[l].weights);
            init_state(merged.optimizer, state_.network.layers[l].biases.size(), optimizer[l].biases);
        }
    std::vector<LayerOptimizerState> saved = optimizer;
    BatchWork work, previous;
    std::vector<std::uint32_t> order;
    Rng rng = state_.shuffle_rng;
    if (change.new_batches) {
        work = make_batch_work(state_.network, merged.batch_size);
        previous = work;
        draw_order(order, data_.train.size(), merged.shuffle, rng);
    }

    // Nothing below can throw.
    config_ = std::move(merged);
    state_.optimizer.swap(optimizer);
    saved_optimizer_.swap(saved);
    if (change.restart_schedule) {
        const std::size_t epochs = state_.schedule.last_epoch;
        state_.schedule = start_schedule(config_.optimizer.lr);
        state_.schedule.last_epoch = epochs;
    }
    if (change.new_batches) {
        state_.order.swap(order);
        state_.shuffle_rng = rng;
        machine_.adopt_buffers(state_, work, previous);
    }
    PhaseMachine::restart_batch(state_);  // the current batch's trace was computed under the old settings
}

// ---- the probe ----------------------------------------------------------------------------------------

// The chosen probe's inputs and targets into the row after the batch.
void Trainer::load_probe_row() {
    BatchWork& w = state_.work;
    w.has_probe = state_.probe.has_value();
    if (!w.has_probe) return;
    const std::size_t in = layer_sizes().front(), out = layer_sizes().back(), k = *state_.probe;
    std::copy_n(data_.train.inputs.data() + k * in, in, w.inputs.data() + w.rows * in);
    std::copy_n(data_.train.targets.data() + k * out, out, w.targets.data() + w.rows * out);
}

void Trainer::set_probe(std::optional<std::size_t> train_index) {
    const std::size_t n = data_.train.size();
    if (train_index && *train_index >= n)
        throw LabError("out_of_range", "index",
                       "index is " + std::to_string(*train_index) + "; allowed: a training sample, 0 to " +
                           (n == 0 ? std::string("none (there is no training data)") : std::to_string(n - 1)));
    state_.probe = train_index;
    BatchWork& w = state_.work;
    if (w.rows == 0 || !w.trace.front().forward_done) {
        w.has_probe = false;  // gather_batch loads it with the next batch
        return;
    }
    load_probe_row();
    if (!w.has_probe) return;
    // The phases this batch has run again, now with the probe row, with the
    // parameters the batch used: its own rows and means come out bit for bit as they were.
    for (std::size_t l = 0; l < layer_count(); ++l)
        if (w.trace[l].forward_done) forward(l);
    for (std::size_t l = layer_count(); l-- > 0;)
        if (w.trace[l].backward_done) backward(l);
}

std::optional<std::size_t> Trainer::probe_row() const {
    if (!state_.work.has_probe) return std::nullopt;
    return state_.work.rows;
}

std::vector<double> Trainer::sample_weight_grad(std::size_t l, std::size_t row) const {
    check_layer(l, "sample gradient");
    const BatchWork& w = state_.work;
    w.require_row(row);
    const std::size_t in = layer_sizes()[l];
    return sample_weight_gradient(w.trace[l], w.input_of(l) + row * in, in, row);
}

double Trainer::sample_loss_of(std::size_t row) const {
    const BatchWork& w = state_.work;
    w.require_row(row);
    const LayerTrace& t = w.trace.back();
    const std::size_t out = layer_sizes().back(), o = row * out;
    return sample_loss(config_.loss, t.pre_activation.data() + o, t.activation.data() + o, w.targets.data() + o, out);
}

PathDecomposition Trainer::chain_paths(std::size_t l, std::size_t j, std::size_t i, std::optional<std::size_t> row,
                                       std::size_t limit) const {
    check_layer(l, "paths");
    return bplab::chain_paths(state_, l, j, i, row, limit);
}

// ---- many points, and snapshots ------------------------------------------------------------------

std::vector<double> Trainer::predict(const double* x, std::size_t n) {
    const std::size_t out = config_.output_size();
    const std::size_t most = std::min(Limits::max_points, Limits::max_results / out);
    if (n > most)
        throw LabError("invalid_argument", "n",
                       "n is " + std::to_string(n) + "; allowed: at most " + std::to_string(most) + " points per call");
    require_finite(x, n * config_.point_size(), "x");
    const Split points = point_split(config_, x, n);
    return grid_.predict(state_.network, points.inputs.data(), n);
}

Evaluation Trainer::evaluate() {
    Evaluation e{};
    grid_.evaluate(state_.network, config_, data_.train, e.train_loss, e.train_accuracy);
    grid_.evaluate(state_.network, config_, data_.test, e.test_loss, e.test_accuracy);
    return e;
}

const std::vector<float>& Trainer::heatmaps(std::size_t res, double x_min, double x_max, double y_min, double y_max) {
    return grid_.heatmaps(state_.network, config_, {res, x_min, x_max, y_min, y_max});
}

const std::vector<float>& Trainer::input_heatmaps(std::size_t res, double x_min, double x_max, double y_min,
                                                  double y_max) {
    return grid_.input_heatmaps(config_, {res, x_min, x_max, y_min, y_max});
}

SnapshotKey Trainer::snapshot_key() const {
    return {layer_sizes(), config_.optimizer.kind, config_.batch_size, data_.train.size(), batches_per_epoch(),
            config_fingerprint(config_), data_hash_};
}

std::vector<std::uint8_t> Trainer::snapshot() const { return write_snapshot(snapshot_key(), state_); }

void Trainer::restore(const std::uint8_t* bytes, std::size_t n) {
    state_ = read_snapshot(bytes, n, snapshot_key(), state_);
}

}  // namespace bplab
