// The trainer: its construction and data, the phase machine (forward, loss,
// backward, update), rollback of a diverged step, live settings and the probe.
#include "bplab/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/features.hpp"
#include "bplab/losses.hpp"
#include "kernels/kernels.hpp"
#include "trainer_detail.hpp"

namespace bplab {
using namespace detail;
// ---- construction and data ---------------------------------------------------

Trainer::Trainer(TrainerConfig config) : config_(std::move(config)) {
    const auto problems = validate(config_);
    if (!problems.empty())
        throw LabError("invalid_config", problems.front().field, join_problems(problems));

    sizes_.push_back(config_.input_size());
    for (const auto& spec : config_.layers) sizes_.push_back(spec.units);

    // One seeded generator hands out a stream each to data, weights and shuffling,
    // so changing the dataset leaves the initial weights alone.
    Rng master(config_.seed);
    Rng data_rng(master.next());
    Rng init_rng(master.next());
    state_.shuffle_rng.reseed(master.next());

    if (config_.dataset) {
        const Dataset all = generate_dataset(*config_.dataset, data_rng);
        Dataset train, test;
        split_dataset(all, config_.dataset->train_ratio, data_rng, train, test);
        prepare_split(train.points, train.labels, train.size(), train_);
        prepare_split(test.points, test.labels, test.size(), test_);
    } else {
        prepare_split({}, {}, 0, train_);
        prepare_split({}, {}, 0, test_);
    }

    for (std::size_t l = 0; l < config_.layers.size(); ++l) {
        const std::size_t in = sizes_[l], out = sizes_[l + 1];
        DenseLayer layer = make_layer(in, out, config_.layers[l].activation);
        init_layer(layer, config_.init, init_rng);
        state_.layers.push_back(std::move(layer));

        LayerOptimizerState opt;
        init_state(config_.optimizer, out * in, opt.weights);
        init_state(config_.optimizer, out, opt.biases);
        state_.optimizer.push_back(std::move(opt));
    }
    size_work(state_.work, config_.batch_size);
    previous_work_ = state_.work;
    mark_.done.assign(3 * config_.layers.size(), 0);
    saved_optimizer_ = state_.optimizer;
    data_hash_ = hash_split(train_);
    state_.schedule = start_schedule(config_.optimizer.lr);
    new_epoch_order();
}

void Trainer::prepare_split(const std::vector<double>& points, const std::vector<double>& labels,
                            std::size_t n, Split& split) const {
    const std::size_t in = config_.input_size(), out = config_.output_size();
    split.points = points;
    split.labels = labels;
    split.inputs = xt::zeros<double>({n, in});
    split.targets = xt::zeros<double>({n, out});
    for (std::size_t r = 0; r < n; ++r) {
        double* x = split.inputs.data() + r * in;
        if (config_.features.empty()) {
            std::copy_n(points.data() + r * in, in, x);
        } else {
            compute_features(config_.features, points[2 * r], points[2 * r + 1], x);
        }
    }
    // Targets from a dataset's labels; set_data copies the caller's, predict needs none.
    if (!config_.dataset || labels.empty()) return;
    for (std::size_t r = 0; r < n; ++r) {
        double* y = split.targets.data() + r * out;
        if (is_regression(config_.dataset->kind)) {
            y[0] = labels[r];
        } else if (out == 1) {
            y[0] = labels[r] == 1.0 ? 1.0 : target_low(config_);
        } else {
            y[static_cast<std::size_t>(labels[r])] = 1.0;
        }
    }
}

void Trainer::set_data(const double* x, const double* y, std::size_t n) {
    if (n < 1 || n > Limits::max_samples)
        throw LabError("invalid_argument", "n",
                       "n is " + std::to_string(n) + "; allowed: 1 to " +
                           std::to_string(Limits::max_samples) + " samples");
    const std::size_t point = config_.point_size(), out = config_.output_size();
    require_finite(x, n * point, "x");
    const auto problems = validate_targets(config_.loss, y, n, out, "y");
    if (!problems.empty()) throw LabError("invalid_argument", "y", problems.front().message());  // as x: the message names the element

    std::vector<double> labels(n);
    const double mid = (target_low(config_) + 1.0) / 2.0;
    for (std::size_t r = 0; r < n; ++r) {
        const double* yr = y + r * out;
        if (!config_.classification()) labels[r] = yr[0];
        else if (out == 1) labels[r] = yr[0] > mid ? 1.0 : 0.0;
        else labels[r] = static_cast<double>(argmax(yr, out));
    }
    Split split;
    prepare_split(std::vector<double>(x, x + n * point), labels, n, split);
    std::copy_n(y, n * out, split.targets.data());
    Rng rng = state_.shuffle_rng;
    std::vector<std::uint32_t> order;
    fill_order(order, n, config_.shuffle, rng);
    const std::uint64_t hash = hash_split(split);

    // Everything is built: from here on nothing can throw, so a failure above changed nothing.
    train_ = std::move(split);
    data_hash_ = hash;
    state_.order = std::move(order);
    state_.shuffle_rng = rng;
    state_.probe.reset();  // its index named a sample of the old data
    clear_batch(state_.work);
    clear_batch(previous_work_);
    state_.batch = 0;
    state_.epoch_loss_sum = 0.0;
    state_.epoch_samples = 0;
    undo_batch();
}

// ---- parameters ------------------------------------------------------------------

void Trainer::check_layer(std::size_t l, const char* what) const {
    if (l >= layer_count())
        throw LabError("out_of_range", "layer",
                       std::string(what) + ": layer " + std::to_string(l) + " does not exist; allowed: 0 to " +
                           std::to_string(layer_count() - 1));
}

const DenseLayer& Trainer::layer(std::size_t l) const {
    check_layer(l, "layer");
    return state_.layers[l];
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
    return l == 0 ? state_.work.inputs.data() : state_.work.trace[l - 1].activation.data();
}

void Trainer::set_weights(std::size_t l, const double* w, std::size_t n) {
    check_layer(l, "setWeights");
    auto& weights = state_.layers[l].weights;
    if (n != weights.size())
        throw LabError("invalid_argument", "weights",
                       "layer " + std::to_string(l) + " has " + std::to_string(weights.size()) +
                           " weights (" + std::to_string(sizes_[l + 1]) + " units × " +
                           std::to_string(sizes_[l]) + " inputs); got " + std::to_string(n));
    require_finite(w, n, "weights");
    std::copy_n(w, n, weights.data());
    undo_batch();  // the batch's trace no longer matches the weights
}

void Trainer::set_biases(std::size_t l, const double* b, std::size_t n) {
    check_layer(l, "setBiases");
    auto& biases = state_.layers[l].biases;
    if (n != biases.size())
        throw LabError("invalid_argument", "biases",
                       "layer " + std::to_string(l) + " has " + std::to_string(biases.size()) +
                           " biases; got " + std::to_string(n));
    require_finite(b, n, "biases");
    std::copy_n(b, n, biases.data());
    undo_batch();
}

// ---- the phase machine -----------------------------------------------------------

std::size_t Trainer::batches_per_epoch() const {
    const std::size_t n = train_.size(), b = config_.batch_size;
    return (n + b - 1) / b;
}

// order ← 0 … n−1, shuffled when asked; a vector already of size n is not reallocated.
void Trainer::fill_order(std::vector<std::uint32_t>& order, std::size_t n, bool shuffle, Rng& rng) {
    order.resize(n);
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    if (shuffle) rng.shuffle(order);
}

// A batch with no rows: what an old batch becomes when the data it indexed are gone.
void Trainer::clear_batch(BatchWork& w) noexcept {
    w.rows = 0;
    w.indices.clear();
    w.has_probe = false;
}

void Trainer::new_epoch_order() {
    fill_order(state_.order, train_.size(), config_.shuffle, state_.shuffle_rng);  // the same size every epoch: no allocation
}

Cursor Trainer::cursor() const {
    return {state_.phase, state_.layer, state_.epoch, state_.batch, batches_per_epoch()};
}

// An empty batch of the configured size, with room for the probe's row.
void Trainer::size_work(BatchWork& w, std::size_t batch_size) const {
    const std::size_t capacity = batch_size + 1;
    w = BatchWork{};
    w.inputs = xt::zeros<double>({capacity, sizes_.front()});
    w.targets = xt::zeros<double>({capacity, sizes_.back()});
    for (std::size_t l = 0; l + 1 < sizes_.size(); ++l) {
        const std::size_t in = sizes_[l], out = sizes_[l + 1];
        LayerTrace t;
        for (auto* m : {&t.pre_activation, &t.activation, &t.upstream_grad, &t.local_grad, &t.downstream_grad})
            *m = xt::zeros<double>({capacity, out});
        for (auto* m : {&t.weight_grad, &t.penalty_grad, &t.weights_before, &t.weight_update})
            *m = xt::zeros<double>({out, in});
        for (auto* v : {&t.bias_grad, &t.biases_before, &t.bias_update}) *v = xt::zeros<double>({out});
        w.trace.push_back(std::move(t));
    }
}

// The current batch's work moves aside (kept for a rollback) and the next
// batch's rows are gathered into the other buffer: no copy, no allocation.
void Trainer::begin_batch() {
    std::swap(state_.work, previous_work_);
    BatchWork& w = state_.work;
    w.epoch = state_.epoch;
    w.batch = state_.batch;
    const std::size_t n = train_.size(), in = sizes_.front(), out = sizes_.back();
    const std::size_t start = state_.batch * config_.batch_size;
    w.rows = std::min(config_.batch_size, n - start);
    w.indices.assign(state_.order.begin() + start, state_.order.begin() + start + w.rows);
    for (std::size_t r = 0; r < w.rows; ++r) {
        const std::size_t k = w.indices[r];
        std::copy_n(train_.inputs.data() + k * in, in, w.inputs.data() + r * in);
        std::copy_n(train_.targets.data() + k * out, out, w.targets.data() + r * out);
    }
    for (auto& t : w.trace) t.forward_done = t.backward_done = t.update_done = false;
    load_probe_row();
}

// The chosen probe's inputs and targets into the row after the batch.
void Trainer::load_probe_row() {
    BatchWork& w = state_.work;
    w.has_probe = state_.probe.has_value();
    if (!w.has_probe) return;
    const std::size_t in = sizes_.front(), out = sizes_.back(), k = *state_.probe;
    std::copy_n(train_.inputs.data() + k * in, in, w.inputs.data() + w.rows * in);
    std::copy_n(train_.targets.data() + k * out, out, w.targets.data() + w.rows * out);
}

void Trainer::forward_layer(std::size_t l) {
    const DenseLayer& layer = state_.layers[l];
    LayerTrace& t = state_.work.trace[l];
    const std::size_t rows = state_.work.computed_rows();
    dense_forward(layer, layer_input(l), rows, t.pre_activation.data());
    activate_rows(layer.activation, t.pre_activation.data(), t.activation.data(), rows, layer.units());
    t.forward_done = true;
}

// The batch loss is the mean of the per-sample losses (reduction='mean').
// A non-finite loss is not kept.
bool Trainer::compute_loss() {
    const BatchWork& w = state_.work;
    const LayerTrace& t = w.trace.back();
    const std::size_t out = sizes_.back();
    double sum = 0.0;
    for (std::size_t r = 0; r < w.rows; ++r)
        sum += sample_loss(config_.loss, t.pre_activation.data() + r * out,
                           t.activation.data() + r * out, w.targets.data() + r * out, out);
    const double loss = sum / static_cast<double>(w.rows);
    if (!std::isfinite(loss)) return false;
    state_.batch_loss = loss;
    return true;
}

void Trainer::backward_layer(std::size_t l) {
    const DenseLayer& layer = state_.layers[l];
    BatchWork& w = state_.work;
    LayerTrace& t = w.trace[l];
    const std::size_t rows = w.rows, computed = w.computed_rows(), units = layer.units(), in = layer.inputs();
    double* up = t.upstream_grad.data();
    double* local = t.local_grad.data();
    double* down = t.downstream_grad.data();
    const double* z = t.pre_activation.data();
    const double* a = t.activation.data();

    if (l + 1 == layer_count()) {
        for (std::size_t r = 0; r < computed; ++r)
            output_gradients(config_.loss, layer.activation, z + r * units, a + r * units,
                             w.targets.data() + r * units, units, up + r * units,
                             local + r * units, down + r * units);
    } else {
        // dl/da_i = sum_k W_above[k][i] · dl/dz_above_k: every path from a_i into the layer above.
        const DenseLayer& above = state_.layers[l + 1];
        kernels::matvec_transposed(above.weights.data(), above.units(), units, w.trace[l + 1].downstream_grad.data(),
                                   computed, up);
        chain_rule(layer.activation, z, a, up, local, down, computed * units);
    }

    // dL/dW[j][i] = mean over the batch of dl/dz_j · a_i; dL/db_j = mean of dl/dz_j (not the probe's).
    kernels::outer_product_mean(down, units, layer_input(l), in, rows, t.weight_grad.data());
    kernels::column_mean(down, units, rows, t.bias_grad.data());

    // Penalties on weights only: L1 adds rate·sign(w), L2 adds rate·w.
    const Regularization& reg = config_.regularization;
    const double* weights = layer.weights.data();
    double* pen = t.penalty_grad.data();
    const std::size_t n = units * in;
    switch (reg.kind) {
        case Penalty::none:
            std::fill_n(pen, n, 0.0);
            break;
        case Penalty::l1:
            for (std::size_t i = 0; i < n; ++i) pen[i] = reg.rate * static_cast<double>((weights[i] > 0.0) - (weights[i] < 0.0));
            break;
        case Penalty::l2:
            for (std::size_t i = 0; i < n; ++i) pen[i] = reg.rate * weights[i];
            break;
    }
    t.backward_done = true;
}

// One optimizer step on every layer. If a parameter or the optimizer state
// becomes non-finite, parameters and state go back to where they were.
bool Trainer::apply_update() {
    const double lr = state_.schedule.lr;
    saved_optimizer_ = state_.optimizer;  // same shapes every time: no allocation
    bool finite = true;
    for (std::size_t l = 0; l < layer_count(); ++l) {
        DenseLayer& layer = state_.layers[l];
        LayerTrace& t = state_.work.trace[l];
        LayerOptimizerState& opt = state_.optimizer[l];
        // Into the buffers the trace owns: an update allocates nothing.
        const std::size_t nw = layer.weights.size(), nb = layer.biases.size();
        double* w = layer.weights.data();
        double* b = layer.biases.data();
        double* dw = t.weight_update.data();
        double* db = t.bias_update.data();
        std::copy_n(w, nw, t.weights_before.data());
        std::copy_n(b, nb, t.biases_before.data());
        // The gradient the optimizer sees, built in the update buffer and then replaced by the change.
        for (std::size_t i = 0; i < nw; ++i) dw[i] = t.weight_grad.data()[i] + t.penalty_grad.data()[i];
        std::copy_n(t.bias_grad.data(), nb, db);
        optimizer_step(config_.optimizer, lr, w, dw, nw, opt.weights);
        optimizer_step(config_.optimizer, lr, b, db, nb, opt.biases);
        for (std::size_t i = 0; i < nw; ++i) dw[i] = w[i] - t.weights_before.data()[i];
        for (std::size_t i = 0; i < nb; ++i) db[i] = b[i] - t.biases_before.data()[i];
        finite = finite && all_finite(layer.weights.data(), layer.weights.size()) &&
                 all_finite(layer.biases.data(), layer.biases.size()) &&
                 finite_state(opt.weights) && finite_state(opt.biases);
    }
    if (!finite) {
        for (std::size_t l = 0; l < layer_count(); ++l) {
            state_.layers[l].weights = state_.work.trace[l].weights_before;
            state_.layers[l].biases = state_.work.trace[l].biases_before;
        }
        std::swap(state_.optimizer, saved_optimizer_);
        return false;
    }
    state_.update_lr = lr;
    for (auto& t : state_.work.trace) t.update_done = true;
    return true;
}

// Back to the start of the current batch, as if none of its phases had run
// (after new weights or data, the batch's trace no longer fits them).
void Trainer::undo_batch() {
    state_.phase = Phase::forward;
    state_.layer = 0;
    for (auto& t : state_.work.trace) t.forward_done = t.backward_done = t.update_done = false;
}

void Trainer::finish_batch() {
    state_.epoch_loss_sum += state_.batch_loss * static_cast<double>(state_.work.rows);
    state_.epoch_samples += state_.work.rows;
    state_.batch += 1;
    if (state_.batch < batches_per_epoch()) return;
    // Each sample weighs the same, so a partial last batch counts for its rows only.
    state_.last_epoch_loss = state_.epoch_loss_sum / static_cast<double>(state_.epoch_samples);
    step_schedule(config_.schedule, config_.optimizer.lr, state_.last_epoch_loss, state_.schedule);
    state_.epoch += 1;
    state_.batch = 0;
    state_.epoch_loss_sum = 0.0;
    state_.epoch_samples = 0;
    new_epoch_order();
}

void Trainer::require_data() const {
    if (train_.size() == 0)
        throw LabError("no_data", "data",
                       "there is no training data: give a dataset in the config or call setData");
}

// Remembers the cursor and the trace flags at the start of a call.
void Trainer::mark() {
    mark_.phase = state_.phase;
    mark_.layer = state_.layer;
    mark_.batch_loss = state_.batch_loss;
    for (std::size_t l = 0; l < layer_count(); ++l) {
        const LayerTrace& t = state_.work.trace[l];
        mark_.done[3 * l] = t.forward_done;
        mark_.done[3 * l + 1] = t.backward_done;
        mark_.done[3 * l + 2] = t.update_done;
    }
}

// Back to the mark after a diverged phase. Parameters and optimizer state were
// already put back by apply_update; the loss and the batch are left: if the
// call began the batch, the previous batch's work comes back, otherwise the
// flags do (the fields the call wrote were not yet valid).
void Trainer::roll_back() {
    const bool began_batch = mark_.phase == Phase::forward && mark_.layer == 0;
    if (began_batch) std::swap(state_.work, previous_work_);
    for (std::size_t l = 0; l < layer_count() && !began_batch; ++l) {
        LayerTrace& t = state_.work.trace[l];
        t.forward_done = mark_.done[3 * l] != 0;
        t.backward_done = mark_.done[3 * l + 1] != 0;
        t.update_done = mark_.done[3 * l + 2] != 0;
    }
    state_.phase = mark_.phase;
    state_.layer = mark_.layer;
    state_.batch_loss = mark_.batch_loss;
}

// Runs the phase under the cursor and moves the cursor on. A diverged phase
// leaves the cursor where it was; the caller rolls back to its mark.
PhaseResult Trainer::run_phase() {
    PhaseResult ran{state_.phase, state_.layer, false};
    const std::size_t last = layer_count() - 1;
    switch (state_.phase) {
        case Phase::forward:
            if (state_.layer == 0) begin_batch();
            forward_layer(state_.layer);
            if (state_.layer < last) {
                state_.layer += 1;
            } else {
                state_.phase = Phase::loss;
            }
            break;
        case Phase::loss:
            if (!compute_loss()) {
                ran.diverged = true;
                break;
            }
            state_.phase = Phase::backward;
            state_.layer = last;
            break;
        case Phase::backward:
            backward_layer(state_.layer);
            if (state_.layer > 0) {
                state_.layer -= 1;
            } else {
                state_.phase = Phase::update;
            }
            break;
        case Phase::update:
            if (!apply_update()) {
                ran.diverged = true;
                break;
            }
            finish_batch();
            state_.phase = Phase::forward;
            state_.layer = 0;
            break;
    }
    return ran;
}

PhaseResult Trainer::step_phase() {
    require_data();
    mark();
    const PhaseResult ran = run_phase();
    if (ran.diverged) roll_back();
    return ran;
}

BatchResult Trainer::train_step() {
    require_data();
    mark();
    for (;;) {
        const PhaseResult ran = run_phase();
        if (ran.diverged) {
            roll_back();
            return {state_.batch_loss, state_.epoch, state_.batch, true};
        }
        if (ran.phase == Phase::update) return {state_.batch_loss, state_.epoch, state_.batch, false};
    }
}

EpochResult Trainer::train_epoch() {
    const std::size_t epoch = state_.epoch;
    while (state_.epoch == epoch) {
        if (train_step().diverged)
            return {state_.batch_loss, state_.epoch, state_.schedule.lr, true};
    }
    return {state_.last_epoch_loss, state_.epoch, state_.schedule.lr, false};
}

std::vector<double> Trainer::gradient_sizes() const {
    std::vector<double> sizes;
    for (const LayerTrace& t : state_.work.trace) {
        if (!t.backward_done) {
            sizes.push_back(std::numeric_limits<double>::quiet_NaN());
            continue;
        }
        double sum = 0.0;
        for (double g : t.weight_grad) sum += std::abs(g);
        sizes.push_back(sum / static_cast<double>(t.weight_grad.size()));
    }
    return sizes;
}

// ---- new settings on a live trainer ---------------------------------------------------------

namespace {

// The settings that shape the network or its data, which a live trainer keeps.
std::string structural_difference(const TrainerConfig& a, const TrainerConfig& b) {
    if (a.seed != b.seed) return "seed";
    if (a.inputs != b.inputs || a.features != b.features) return a.features.empty() ? "inputs" : "features";
    if (a.layers.size() != b.layers.size()) return "layers";
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        const LayerSpec &x = a.layers[l], &y = b.layers[l];
        if (x.units != y.units || x.activation.kind != y.activation.kind || x.activation.alpha != y.activation.alpha)
            return "layers[" + std::to_string(l) + "]";
    }
    if (a.loss != b.loss) return "loss";
    if (a.init != b.init) return "init";
    if (a.dataset.has_value() != b.dataset.has_value()) return "dataset";
    if (a.dataset) {
        const DatasetConfig &x = *a.dataset, &y = *b.dataset;
        if (x.kind != y.kind || x.samples != y.samples || x.noise != y.noise || x.train_ratio != y.train_ratio ||
            x.classes != y.classes)
            return "dataset";
    }
    return "";
}

bool same_schedule(const ScheduleConfig& a, const ScheduleConfig& b) {
    return a.kind == b.kind && a.step_size == b.step_size && a.gamma == b.gamma && a.t_max == b.t_max &&
           a.eta_min == b.eta_min && a.factor == b.factor && a.patience == b.patience &&
           a.threshold == b.threshold && a.cooldown == b.cooldown && a.min_lr == b.min_lr && a.eps == b.eps;
}

}  // namespace

void Trainer::reconfigure(const TrainerConfig& next) {
    const auto problems = validate(next);
    if (!problems.empty())
        throw LabError("invalid_config", problems.front().field, join_problems(problems));
    const std::string fixed = structural_difference(config_, next);
    if (!fixed.empty())
        throw LabError("invalid_config", fixed,
                       fixed + " differs; allowed: a live trainer keeps its seed, inputs, layers, loss, init "
                               "and dataset (build a new trainer to change them)");

    const bool new_optimizer = next.optimizer.kind != config_.optimizer.kind ||
                               next.optimizer.momentum != config_.optimizer.momentum ||
                               next.optimizer.centered != config_.optimizer.centered ||
                               next.optimizer.amsgrad != config_.optimizer.amsgrad;
    const bool new_schedule = next.optimizer.lr != config_.optimizer.lr || !same_schedule(next.schedule, config_.schedule);
    const bool new_batches = next.batch_size != config_.batch_size || next.shuffle != config_.shuffle;

    // Build every new piece first; a failure (out of memory) leaves the trainer as it was.
    TrainerConfig merged = config_;
    merged.optimizer = next.optimizer;
    merged.schedule = next.schedule;
    merged.regularization = next.regularization;
    merged.batch_size = next.batch_size;
    merged.shuffle = next.shuffle;
    std::vector<LayerOptimizerState> optimizer = state_.optimizer;
    if (new_optimizer)  // a different rule keeps different state (torch would start it afresh too)
        for (std::size_t l = 0; l < layer_count(); ++l) {
            const std::size_t units = sizes_[l + 1], in = sizes_[l];
            init_state(merged.optimizer, units * in, optimizer[l].weights);
            init_state(merged.optimizer, units, optimizer[l].biases);
        }
    std::vector<LayerOptimizerState> saved = optimizer;
    BatchWork work, previous;
    std::vector<std::uint32_t> order;
    Rng rng = state_.shuffle_rng;
    if (new_batches) {
        size_work(work, merged.batch_size);
        previous = work;
        fill_order(order, train_.size(), merged.shuffle, rng);
    }

    // Nothing below can throw.
    config_ = std::move(merged);
    state_.optimizer.swap(optimizer);
    saved_optimizer_.swap(saved);
    if (new_schedule) {
        const std::size_t epochs = state_.schedule.last_epoch;
        state_.schedule = start_schedule(config_.optimizer.lr);
        state_.schedule.last_epoch = epochs;
    }
    if (new_batches) {
        std::swap(state_.work, work);
        std::swap(previous_work_, previous);
        state_.order.swap(order);
        state_.shuffle_rng = rng;
        state_.batch = 0;
        state_.epoch_loss_sum = 0.0;
        state_.epoch_samples = 0;
    }
    // The current batch's trace was computed under the old settings.
    undo_batch();
}

// ---- the probe and the paths of the chain rule ------------------------------------------------

void Trainer::set_probe(std::optional<std::size_t> train_index) {
    if (train_index && *train_index >= train_.size())
        throw LabError("out_of_range", "index",
                       "index is " + std::to_string(*train_index) + "; allowed: a training sample, 0 to " +
                           (train_.size() == 0 ? std::string("none (there is no training data)")
                                               : std::to_string(train_.size() - 1)));
    state_.probe = train_index;
    BatchWork& w = state_.work;
    const bool batch_started = w.rows > 0 && w.trace.front().forward_done;
    if (!batch_started) {
        w.has_probe = false;  // begin_batch loads it with the next batch
        return;
    }
    load_probe_row();
    if (!w.has_probe) return;
    // Recompute the phases this batch has run, now with the probe row, using the
    // weights the batch used (after the update: the weights before it). The
    // batch's own rows and means come out bit for bit as they were.
    const bool updated = w.trace.front().update_done;
    if (updated)
        for (std::size_t l = 0; l < layer_count(); ++l) {
            std::swap(state_.layers[l].weights, w.trace[l].weights_before);
            std::swap(state_.layers[l].biases, w.trace[l].biases_before);
        }
    for (std::size_t l = 0; l < layer_count(); ++l)
        if (w.trace[l].forward_done) forward_layer(l);
    for (std::size_t l = layer_count(); l-- > 0;)
        if (w.trace[l].backward_done) backward_layer(l);
    if (updated)
        for (std::size_t l = 0; l < layer_count(); ++l) {
            std::swap(state_.layers[l].weights, w.trace[l].weights_before);
            std::swap(state_.layers[l].biases, w.trace[l].biases_before);
        }
}

std::optional<std::size_t> Trainer::probe_row() const {
    const BatchWork& w = state_.work;
    if (!w.has_probe) return std::nullopt;
    return w.rows;
}

}  // namespace bplab
