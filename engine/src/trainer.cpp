#include "bplab/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/features.hpp"
#include "bplab/losses.hpp"
#include "bplab/simd.hpp"

namespace bplab {
namespace {

std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// a = f(z) for `units` rows of `points` values, stored by column. Softmax
// runs across the units of each point, so its column is gathered first.
void activate_columns(const ActivationSpec& f, const double* z, double* a, std::size_t units,
                      std::size_t points, std::vector<double>& scratch) {
    if (f.kind != Activation::softmax) {
        for (std::size_t j = 0; j < units; ++j)
            activate_rows(f, z + j * column_block, a + j * column_block, 1, points);
        return;
    }
    scratch.resize(2 * units);
    double* zp = scratch.data();
    double* ap = zp + units;
    for (std::size_t p = 0; p < points; ++p) {
        for (std::size_t j = 0; j < units; ++j) zp[j] = z[j * column_block + p];
        softmax_row(zp, ap, units);
        for (std::size_t j = 0; j < units; ++j) a[j * column_block + p] = ap[j];
    }
}

// rows × cols row-major from a block stored by column.
void columns_to_rows(const double* columns, std::size_t rows, std::size_t cols, double* out) {
    for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t r = 0; r < rows; ++r) out[r * cols + j] = columns[j * column_block + r];
}

// out[c] = (sum over t of src[t][c] · coef[t]) · scale for 2N values of c,
// the sum taken in the order t = 0, 1, … from 0 as the plain loop would.
template <std::size_t N>
void weighted_sum_lanes(const double* src, std::size_t src_stride, const double* coef,
                        std::size_t coef_stride, std::size_t count, double scale, double* out) {
    using namespace simd;
    f64x2 acc[N];
    for (std::size_t v = 0; v < N; ++v) acc[v] = splat(0.0);
    for (std::size_t t = 0; t < count; ++t) {
        const f64x2 c = splat(coef[t * coef_stride]);
        const double* s = src + t * src_stride;
        for (std::size_t v = 0; v < N; ++v) acc[v] += load(s + 2 * v) * c;
    }
    for (std::size_t v = 0; v < N; ++v) store(out + 2 * v, acc[v] * splat(scale));
}

// The same for n values of c, eight, then two, then one at a time.
void weighted_sum(const double* src, std::size_t src_stride, const double* coef, std::size_t coef_stride,
                  std::size_t count, std::size_t n, double scale, double* out) {
    std::size_t c = 0;
    for (; c + 8 <= n; c += 8) weighted_sum_lanes<4>(src + c, src_stride, coef, coef_stride, count, scale, out + c);
    for (; c + 2 <= n; c += 2) weighted_sum_lanes<1>(src + c, src_stride, coef, coef_stride, count, scale, out + c);
    for (; c < n; ++c) {
        double acc = 0.0;
        for (std::size_t t = 0; t < count; ++t) acc += src[t * src_stride + c] * coef[t * coef_stride];
        out[c] = acc * scale;
    }
}

// local = f'(z), downstream = upstream × local for n values, the activation
// fixed at compile time so that the loop vectorises.
template <Activation K>
void chain_rule_as(const ActivationSpec& f, const double* z, const double* a, const double* up,
                   double* local, double* down, std::size_t n) {
    const ActivationSpec g{K, f.alpha};
    for (std::size_t i = 0; i < n; ++i) {
        local[i] = local_gradient(g, z[i], a[i]);
        down[i] = up[i] * local[i];
    }
}

void chain_rule(const ActivationSpec& f, const double* z, const double* a, const double* up,
                double* local, double* down, std::size_t n) {
    switch (f.kind) {
        case Activation::linear: return chain_rule_as<Activation::linear>(f, z, a, up, local, down, n);
        case Activation::sigmoid: return chain_rule_as<Activation::sigmoid>(f, z, a, up, local, down, n);
        case Activation::tanh: return chain_rule_as<Activation::tanh>(f, z, a, up, local, down, n);
        case Activation::relu: return chain_rule_as<Activation::relu>(f, z, a, up, local, down, n);
        case Activation::leaky_relu: return chain_rule_as<Activation::leaky_relu>(f, z, a, up, local, down, n);
        case Activation::elu: return chain_rule_as<Activation::elu>(f, z, a, up, local, down, n);
        case Activation::softmax: return chain_rule_as<Activation::softmax>(f, z, a, up, local, down, n);
    }
}

bool all_finite(const double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) return false;
    return true;
}

std::string join_problems(const std::vector<ConfigProblem>& problems) {
    std::string out = "invalid trainer config: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) out += "; ";
        out += problems[i].message();
    }
    return out;
}

// The first non-finite entry of x, for a message; n if none.
std::size_t first_non_finite(const double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) return i;
    return n;
}

void require_finite(const double* x, std::size_t n, const std::string& field) {
    const std::size_t bad = first_non_finite(x, n);
    if (bad < n)
        throw LabError("invalid_argument", field,
                       field + "[" + std::to_string(bad) + "] is " + describe(x[bad]) +
                           "; allowed: finite numbers");
}

// Targets of a classification sample run from low (0, or -1 for a tanh
// output, as in TensorFlow Playground) to 1.
double target_low(const TrainerConfig& c) {
    return c.layers.back().activation.kind == Activation::tanh ? -1.0 : 0.0;
}

std::size_t argmax(const double* x, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(x, x + n) - x);
}

// ---- snapshot encoding -------------------------------------------------------

constexpr std::uint64_t snapshot_magic = 0x31534C504250ULL;  // "BPLS1"
constexpr std::uint64_t snapshot_version = 2;

// A 64-bit hash of words (splitmix64's finaliser per word): for the checksum,
// the config fingerprint and the data hash. Not cryptographic; it catches
// damage and mix-ups, not forgery.
class Hash {
public:
    void word(std::uint64_t w) {
        h_ ^= w + 0x9e3779b97f4a7c15ULL + (h_ << 6) + (h_ >> 2);
        h_ = (h_ ^ (h_ >> 30)) * 0xbf58476d1ce4e5b9ULL;
        h_ = (h_ ^ (h_ >> 27)) * 0x94d049bb133111ebULL;
        h_ ^= h_ >> 31;
    }
    void num(double x) {
        std::uint64_t w;
        std::memcpy(&w, &x, sizeof w);
        word(w);
    }
    void numbers(const double* x, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) num(x[i]);
    }
    void bytes(const std::uint8_t* p, std::size_t n) {
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i, sizeof w);
            word(w);
        }
        std::uint64_t tail = n;  // the length, and the last bytes
        for (; i < n; ++i) tail = (tail << 8) | p[i];
        word(tail);
    }
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 0x243f6a8885a308d3ULL;
};

class Writer {
public:
    std::vector<std::uint8_t> bytes;
    void word(std::uint64_t v) { put(&v, sizeof v); }
    void size(const std::size_t& v) { word(static_cast<std::uint64_t>(v)); }
    void u64(const std::uint64_t& v) { word(v); }
    void num(const double& v) { put(&v, sizeof v); }
    void flag(const bool& v) { word(v ? 1 : 0); }
    void phase(const Phase& p) { word(static_cast<std::uint64_t>(p)); }
    void u32(const std::uint32_t& v) { word(v); }
    // An optional count as a flag word, then the value (0 when empty).
    void optional_size(const std::optional<std::size_t>& v) {
        flag(v.has_value());
        size(v.value_or(0));
    }
    void rng(const Rng& r) {
        for (std::uint64_t w : r.state()) word(w);
    }
    void indices(const std::vector<std::uint32_t>& v) {
        word(v.size());
        put(v.data(), v.size() * sizeof(std::uint32_t));
    }
    void values(const std::vector<double>& v) {
        word(v.size());
        put(v.data(), v.size() * sizeof(double));
    }
    // n numbers of a buffer whose shape both sides know.
    void block(const double* p, std::size_t n) { put(p, n * sizeof(double)); }

private:
    void put(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
    }
};

class Reader {
public:
    Reader(const std::uint8_t* bytes, std::size_t n) : bytes_(bytes), n_(n) {}
    std::uint64_t word() {
        std::uint64_t v;
        take(&v, sizeof v);
        return v;
    }
    void size(std::size_t& v) { v = static_cast<std::size_t>(word()); }
    void u64(std::uint64_t& v) { v = word(); }
    void num(double& v) { take(&v, sizeof v); }
    void flag(bool& v) {
        const std::uint64_t w = word();
        if (w > 1) fail("a flag is neither 0 nor 1");
        v = w == 1;
    }
    void u32(std::uint32_t& v) {
        const std::uint64_t w = word();
        if (w > UINT32_MAX) fail("an index out of range");
        v = static_cast<std::uint32_t>(w);
    }
    void optional_size(std::optional<std::size_t>& v) {
        bool present;
        flag(present);
        std::size_t value;
        size(value);
        v = present ? std::optional<std::size_t>(value) : std::nullopt;
    }
    void phase(Phase& p) {
        const std::uint64_t v = word();
        if (v > static_cast<std::uint64_t>(Phase::update)) fail("unknown phase");
        p = static_cast<Phase>(v);
    }
    void rng(Rng& r) {
        std::array<std::uint64_t, 4> s;
        for (auto& w : s) w = word();
        if (s == std::array<std::uint64_t, 4>{}) fail("the shuffle generator is all zero");
        r.set_state(s);
    }
    void indices(std::vector<std::uint32_t>& v) {
        v.resize(count(sizeof(std::uint32_t)));
        take(v.data(), v.size() * sizeof(std::uint32_t));
    }
    void values(std::vector<double>& v) {
        v.resize(count(sizeof(double)));
        take(v.data(), v.size() * sizeof(double));
    }
    void block(double* p, std::size_t n) {
        if (n > (n_ - pos_) / sizeof(double)) fail("truncated");
        take(p, n * sizeof(double));
    }
    bool done() const { return pos_ == n_; }
    [[noreturn]] static void fail(const std::string& why) {
        throw LabError("bad_snapshot", "snapshot", "not a snapshot of this trainer: " + why);
    }

private:
    std::size_t count(std::size_t element) {
        const std::uint64_t n = word();
        if (n > (n_ - pos_) / element) fail("truncated");
        return static_cast<std::size_t>(n);
    }
    void take(void* p, std::size_t n) {
        if (n > n_ - pos_) fail("truncated");
        if (n > 0) std::memcpy(p, bytes_ + pos_, n);
        pos_ += n;
    }
    const std::uint8_t* bytes_;
    std::size_t n_;
    std::size_t pos_ = 0;
};

template <class Archive, class P>
void visit_param_state(Archive& ar, P& s) {
    ar.u64(s.step);
    ar.values(s.momentum_buffer);
    ar.values(s.sum);
    ar.values(s.square_avg);
    ar.values(s.grad_avg);
    ar.values(s.exp_avg);
    ar.values(s.exp_avg_sq);
    ar.values(s.max_exp_avg_sq);
}

template <class Archive, class T>
void visit_tensor(Archive& ar, T& t) {
    ar.block(t.data(), t.size());
}

// The first `rows` rows of a capacity × units array.
template <class Archive, class T>
void visit_rows(Archive& ar, T& t, std::size_t rows) {
    ar.block(t.data(), std::min(rows, t.shape()[0]) * t.shape()[1]);
}

// One batch: its rows, and each trace field only once its phase has run, so
// that equal states give equal bytes whatever earlier batches left behind.
template <class Archive, class W>
void visit_work(Archive& ar, W& w) {
    ar.size(w.rows);
    ar.flag(w.has_probe);
    ar.u32(w.probe_index);
    // only read bytes can claim these
    if (w.computed_rows() > w.inputs.shape()[0] || w.rows >= w.inputs.shape()[0]) Reader::fail("a batch larger than the batch size");
    const std::size_t rows = w.computed_rows();
    ar.indices(w.indices);
    visit_rows(ar, w.inputs, rows);
    visit_rows(ar, w.targets, rows);
    for (auto& t : w.trace) {
        ar.flag(t.forward_done);
        ar.flag(t.backward_done);
        ar.flag(t.update_done);
        if (t.forward_done) {
            visit_rows(ar, t.pre_activation, rows);
            visit_rows(ar, t.activation, rows);
        }
        if (t.backward_done) {
            visit_rows(ar, t.upstream_grad, rows);
            visit_rows(ar, t.local_grad, rows);
            visit_rows(ar, t.downstream_grad, rows);
            visit_tensor(ar, t.weight_grad);
            visit_tensor(ar, t.bias_grad);
            visit_tensor(ar, t.penalty_grad);
        }
        if (t.update_done) {
            visit_tensor(ar, t.weights_before);
            visit_tensor(ar, t.biases_before);
            visit_tensor(ar, t.weight_update);
            visit_tensor(ar, t.bias_update);
        }
    }
}

// One list of everything a snapshot holds, read and written alike.
template <class Archive, class S>
void visit_state(Archive& ar, S& s) {
    for (auto& layer : s.layers) {
        visit_tensor(ar, layer.weights);
        visit_tensor(ar, layer.biases);
    }
    for (auto& opt : s.optimizer) {
        visit_param_state(ar, opt.weights);
        visit_param_state(ar, opt.biases);
    }
    ar.size(s.schedule.last_epoch);
    ar.num(s.schedule.lr);
    ar.num(s.schedule.best);
    ar.size(s.schedule.num_bad_epochs);
    ar.size(s.schedule.cooldown_counter);
    ar.rng(s.shuffle_rng);
    ar.indices(s.order);
    ar.phase(s.phase);
    ar.size(s.layer);
    ar.size(s.epoch);
    ar.size(s.batch);
    ar.num(s.epoch_loss_sum);
    ar.size(s.epoch_samples);
    ar.num(s.last_epoch_loss);
    ar.num(s.batch_loss);
    ar.num(s.update_lr);
    ar.optional_size(s.probe);
    visit_work(ar, s.work);
}

bool same_sizes(const ParamState& a, const ParamState& b) {
    return a.momentum_buffer.size() == b.momentum_buffer.size() && a.sum.size() == b.sum.size() &&
           a.square_avg.size() == b.square_avg.size() && a.grad_avg.size() == b.grad_avg.size() &&
           a.exp_avg.size() == b.exp_avg.size() && a.exp_avg_sq.size() == b.exp_avg_sq.size() &&
           a.max_exp_avg_sq.size() == b.max_exp_avg_sq.size();
}

// The trace flags a cursor implies: forward(l) follows layers 0…l-1 going
// forward (or, at l = 0, any finished batch), loss follows all of them,
// backward(l) follows layers above l going back, update follows all.
bool flags_fit_cursor(const Trainer::State& s) {
    const auto& trace = s.work.trace;
    const std::size_t n = trace.size();
    if (s.phase == Phase::forward && s.layer == 0) return true;
    for (std::size_t l = 0; l < n; ++l) {
        const LayerTrace& t = trace[l];
        bool forward = true, backward = false;
        switch (s.phase) {
            case Phase::forward: forward = l < s.layer; break;
            case Phase::loss: break;
            case Phase::backward: backward = l > s.layer; break;
            case Phase::update: backward = true; break;
        }
        if (t.forward_done != forward || t.backward_done != backward || t.update_done) return false;
    }
    return s.work.rows > 0;
}

std::uint64_t hash_split(const Split& split) {
    Hash h;
    h.word(split.size());
    h.numbers(split.inputs.data(), split.inputs.size());
    h.numbers(split.targets.data(), split.targets.size());
    return h.value();
}

}  // namespace

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
    if (!problems.empty())
        throw LabError("invalid_argument", problems.front().field, problems.front().message());

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
    std::vector<std::uint32_t> order = epoch_order(n, config_.shuffle, rng);
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

std::vector<double> Trainer::predict(const double* x, std::size_t n) {
    const std::size_t point = config_.point_size(), out = config_.output_size();
    if (n > Limits::max_points || n * out > Limits::max_results)
        throw LabError("invalid_argument", "n",
                       "n is " + std::to_string(n) + "; allowed: at most " +
                           std::to_string(std::min(Limits::max_points, Limits::max_results / out)) +
                           " points per call");
    require_finite(x, n * point, "x");
    Split split;
    prepare_split(std::vector<double>(x, x + n * point), {}, n, split);
    std::vector<double> result(n * out);
    const std::size_t last = layer_count() - 1;
    forward_rows(split.inputs.data(), n,
                 [&](std::size_t l, std::size_t start, std::size_t rows, const double*, const double* a) {
                     if (l == last) std::copy_n(a, rows * out, result.data() + start * out);
                 });
    return result;
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

std::vector<std::uint32_t> Trainer::epoch_order(std::size_t n, bool shuffle, Rng& rng) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    if (shuffle) rng.shuffle(order);
    return order;
}

// A batch with no rows: what an old batch becomes when the data it indexed are gone.
void Trainer::clear_batch(BatchWork& w) noexcept {
    w.rows = 0;
    w.indices.clear();
    w.has_probe = false;
}

void Trainer::new_epoch_order() {
    state_.order.resize(train_.size());  // the same size every epoch: no allocation
    std::iota(state_.order.begin(), state_.order.end(), std::uint32_t{0});
    if (config_.shuffle) state_.shuffle_rng.shuffle(state_.order);
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
    w.probe_index = static_cast<std::uint32_t>(k);
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
        const LayerTrace& above = w.trace[l + 1];
        const std::size_t units_above = state_.layers[l + 1].units();
        const double* w_above = state_.layers[l + 1].weights.data();
        for (std::size_t r = 0; r < computed; ++r)
            weighted_sum(w_above, units, above.downstream_grad.data() + r * units_above, 1, units_above,
                         units, 1.0, up + r * units);
        chain_rule(layer.activation, z, a, up, local, down, computed * units);
    }

    // dL/dW[j][i] = mean over the batch of dl/dz_j · a_i; dL/db_j = mean of dl/dz_j (not the probe's).
    const double* x = layer_input(l);
    double* dw = t.weight_grad.data();
    double* db = t.bias_grad.data();
    const double inv = 1.0 / static_cast<double>(rows);
    for (std::size_t j = 0; j < units; ++j) {
        weighted_sum(x, in, down + j, units, rows, in, inv, dw + j * in);
        double sum = 0.0;
        for (std::size_t r = 0; r < rows; ++r) sum += down[r * units + j];
        db[j] = sum * inv;
    }

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

// ---- evaluation over many points ---------------------------------------------------

template <class Visit>
void Trainer::forward_columns(const double* x, std::size_t points, Visit visit) {
    const std::size_t widest = *std::max_element(sizes_.begin() + 1, sizes_.end());
    scratch_z_.resize(column_block * widest);
    scratch_a_.resize(2 * column_block * widest);  // this layer's a, and the previous layer's
    const std::size_t lanes = round_up(points, column_lanes);
    double* z = scratch_z_.data();
    double* a = scratch_a_.data();
    for (std::size_t l = 0; l < layer_count(); ++l) {
        const DenseLayer& layer = state_.layers[l];
        dense_forward_columns(layer, x, lanes, z);
        activate_columns(layer.activation, z, a, layer.units(), lanes, softmax_scratch_);
        visit(l, static_cast<const double*>(z), static_cast<const double*>(a));
        x = a;
        a = (a == scratch_a_.data()) ? scratch_a_.data() + column_block * widest : scratch_a_.data();
    }
}

template <class Visit>
void Trainer::forward_rows(const double* inputs, std::size_t rows, Visit visit) {
    const std::size_t in = sizes_.front(), out = sizes_.back(), last = layer_count() - 1;
    block_inputs_.assign(in * column_block, 0.0);  // lanes past the last point stay finite
    rows_z_.resize(column_block * out);
    rows_a_.resize(column_block * out);
    for (std::size_t start = 0; start < rows; start += column_block) {
        const std::size_t count = std::min(column_block, rows - start);
        for (std::size_t p = 0; p < count; ++p)
            for (std::size_t i = 0; i < in; ++i)
                block_inputs_[i * column_block + p] = inputs[(start + p) * in + i];
        forward_columns(block_inputs_.data(), count, [&](std::size_t l, const double* z, const double* a) {
            if (l != last) return;
            columns_to_rows(z, count, out, rows_z_.data());
            columns_to_rows(a, count, out, rows_a_.data());
            visit(l, start, count, static_cast<const double*>(rows_z_.data()),
                  static_cast<const double*>(rows_a_.data()));
        });
    }
}

void Trainer::evaluate_split(const Split& split, double& loss, double& accuracy) {
    const std::size_t n = split.size(), out = sizes_.back(), last = layer_count() - 1;
    loss = accuracy = std::numeric_limits<double>::quiet_NaN();
    if (n == 0) return;
    const bool classify = config_.classification();
    const double mid = (target_low(config_) + 1.0) / 2.0;
    double loss_sum = 0.0;
    std::size_t correct = 0;
    forward_rows(split.inputs.data(), n,
                 [&](std::size_t l, std::size_t start, std::size_t rows, const double* z, const double* a) {
                     if (l != last) return;
                     for (std::size_t r = 0; r < rows; ++r) {
                         const double* y = split.targets.data() + (start + r) * out;
                         loss_sum += sample_loss(config_.loss, z + r * out, a + r * out, y, out);
                         if (!classify) continue;
                         const bool right = out == 1 ? (a[r] > mid) == (y[0] > mid)
                                                     : argmax(a + r * out, out) == argmax(y, out);
                         correct += right ? 1 : 0;
                     }
                 });
    loss = loss_sum / static_cast<double>(n);
    if (classify) accuracy = static_cast<double>(correct) / static_cast<double>(n);
}

Evaluation Trainer::evaluate() {
    Evaluation e{};
    evaluate_split(train_, e.train_loss, e.train_accuracy);
    evaluate_split(test_, e.test_loss, e.test_accuracy);
    return e;
}

namespace {

void check_grid(std::size_t res, double x_min, double x_max, double y_min, double y_max) {
    if (res < 1 || res > Limits::max_grid)
        throw LabError("invalid_argument", "res",
                       "res is " + std::to_string(res) + "; allowed: 1 to " +
                           std::to_string(Limits::max_grid));
    if (!std::isfinite(x_min) || !std::isfinite(x_max) || !(x_min < x_max))
        throw LabError("invalid_argument", "xMin",
                       "the x range is " + describe(x_min) + " … " + describe(x_max) +
                           "; allowed: finite numbers with xMin < xMax");
    if (!std::isfinite(y_min) || !std::isfinite(y_max) || !(y_min < y_max))
        throw LabError("invalid_argument", "yMin",
                       "the y range is " + describe(y_min) + " … " + describe(y_max) +
                           "; allowed: finite numbers with yMin < yMax");
}

}  // namespace

const std::vector<float>& Trainer::heatmaps(std::size_t res, double x_min, double x_max,
                                            double y_min, double y_max) {
    input_heatmaps(res, x_min, x_max, y_min, y_max);  // fills grid_inputs_
    const std::size_t cells = res * res, in = sizes_.front();
    const std::size_t neurons = std::accumulate(sizes_.begin() + 1, sizes_.end(), std::size_t{0});
    heatmap_.resize(neurons * cells);
    for (std::size_t start = 0; start < cells; start += column_block) {
        const std::size_t count = std::min(column_block, cells - start);
        std::size_t first_neuron = 0;  // of the layer being visited
        forward_columns(grid_inputs_.data() + start * in, count,
                        [&](std::size_t l, const double*, const double* a) {
                            const std::size_t units = sizes_[l + 1];
                            for (std::size_t j = 0; j < units; ++j) {
                                float* map = heatmap_.data() + (first_neuron + j) * cells + start;
                                const double* aj = a + j * column_block;
                                std::size_t p = 0;
                                for (; p + 4 <= count; p += 4)
                                    simd::store_floats(map + p, simd::load(aj + p), simd::load(aj + p + 2));
                                for (; p < count; ++p) map[p] = static_cast<float>(aj[p]);
                            }
                            first_neuron += units;
                        });
    }
    return heatmap_;
}

const std::vector<float>& Trainer::input_heatmaps(std::size_t res, double x_min, double x_max,
                                                  double y_min, double y_max) {
    check_grid(res, x_min, x_max, y_min, y_max);
    if (config_.point_size() != 2)
        throw LabError("not_a_plane", "inputs",
                       "heatmaps need points on the (x1, x2) plane: inputs 2, or features");
    const std::array<double, 5> grid{static_cast<double>(res), x_min, x_max, y_min, y_max};
    if (grid == grid_made_for_) return input_heatmap_;
    const std::size_t cells = res * res, in = sizes_.front();
    // Block after block (column_block cells each), by column; the last
    // block's spare lanes stay 0.
    grid_inputs_.assign(round_up(cells, column_block) * in, 0.0);
    input_heatmap_.resize(cells * in);
    const double dx = (x_max - x_min) / static_cast<double>(res);
    const double dy = (y_max - y_min) / static_cast<double>(res);
    double xi[Limits::max_inputs];
    for (std::size_t row = 0; row < res; ++row) {
        const double y = y_max - (static_cast<double>(row) + 0.5) * dy;
        for (std::size_t col = 0; col < res; ++col) {
            const double x = x_min + (static_cast<double>(col) + 0.5) * dx;
            const std::size_t cell = row * res + col;
            if (config_.features.empty()) {
                xi[0] = x;
                xi[1] = y;
            } else {
                compute_features(config_.features, x, y, xi);
            }
            double* block = grid_inputs_.data() + (cell / column_block) * column_block * in;
            for (std::size_t k = 0; k < in; ++k) {
                block[k * column_block + cell % column_block] = xi[k];
                input_heatmap_[k * cells + cell] = static_cast<float>(xi[k]);
            }
        }
    }
    grid_made_for_ = grid;
    return input_heatmap_;
}

// ---- snapshot -------------------------------------------------------------------------

// Everything in the config that gives the state its meaning (the seed and the
// dataset only matter through the training data, which data_hash_ covers).
std::uint64_t Trainer::config_fingerprint() const {
    Hash h;
    const TrainerConfig& c = config_;
    h.word(c.inputs);
    h.word(c.features.size());
    for (Feature f : c.features) h.word(static_cast<std::uint64_t>(f));
    for (const LayerSpec& spec : c.layers) {
        h.word(spec.units);
        h.word(static_cast<std::uint64_t>(spec.activation.kind));
        h.num(spec.activation.alpha);
    }
    h.word(static_cast<std::uint64_t>(c.loss));
    const OptimizerConfig& o = c.optimizer;
    h.word(static_cast<std::uint64_t>(o.kind));
    for (double x : {o.lr, o.momentum, o.dampening, o.weight_decay, o.lr_decay,
                     o.initial_accumulator_value, o.alpha, o.beta1, o.beta2, o.eps})
        h.num(x);
    h.word((o.nesterov ? 1 : 0) | (o.centered ? 2 : 0) | (o.amsgrad ? 4 : 0));
    const ScheduleConfig& s = c.schedule;
    h.word(static_cast<std::uint64_t>(s.kind));
    h.word(s.step_size);
    h.word(s.t_max);
    h.word(s.patience);
    h.word(s.cooldown);
    for (double x : {s.gamma, s.eta_min, s.factor, s.threshold, s.min_lr, s.eps}) h.num(x);
    h.word(static_cast<std::uint64_t>(c.regularization.kind));
    h.num(c.regularization.rate);
    h.word(c.batch_size);
    h.word(c.shuffle ? 1 : 0);
    return h.value();
}

std::vector<std::uint8_t> Trainer::snapshot() const {
    Writer w;
    w.word(snapshot_magic);
    w.word(snapshot_version);
    w.word(sizes_.size());
    for (std::size_t s : sizes_) w.word(s);
    w.word(static_cast<std::uint64_t>(config_.optimizer.kind));
    w.word(config_.batch_size);
    w.word(train_.size());
    w.word(config_fingerprint());
    w.word(data_hash_);
    visit_state(w, state_);
    Hash checksum;
    checksum.bytes(w.bytes.data(), w.bytes.size());
    w.word(checksum.value());
    return std::move(w.bytes);
}

namespace {

// The bytes before the trailing checksum, if it matches.
std::size_t checked_length(const std::uint8_t* bytes, std::size_t n) {
    constexpr std::size_t word = sizeof(std::uint64_t);
    if (n < 3 * word) Reader::fail("too short");
    std::uint64_t magic;
    std::memcpy(&magic, bytes, word);
    if (magic != snapshot_magic) Reader::fail("wrong header");
    std::uint64_t version;
    std::memcpy(&version, bytes + word, word);
    if (version != snapshot_version) Reader::fail("unknown version " + std::to_string(version));
    Hash checksum;
    checksum.bytes(bytes, n - word);
    std::uint64_t stored;
    std::memcpy(&stored, bytes + n - word, word);
    if (stored != checksum.value()) Reader::fail("damaged or truncated (checksum mismatch)");
    return n - word;
}

bool state_finite(const LayerOptimizerState& s) { return finite_state(s.weights) && finite_state(s.biases); }

}  // namespace

void Trainer::restore(const std::uint8_t* bytes, std::size_t n) {
    if (bytes == nullptr) Reader::fail("no bytes");
    Reader r(bytes, checked_length(bytes, n));
    r.word();  // magic and version, checked above
    r.word();
    if (r.word() != sizes_.size()) Reader::fail("different number of layers");
    for (std::size_t s : sizes_)
        if (r.word() != s) Reader::fail("different layer sizes");
    if (r.word() != static_cast<std::uint64_t>(config_.optimizer.kind)) Reader::fail("different optimizer");
    if (r.word() != config_.batch_size) Reader::fail("different batch size");
    if (r.word() != train_.size()) Reader::fail("different number of training samples");
    if (r.word() != config_fingerprint()) Reader::fail("different settings (activations, loss, optimizer, schedule or regularization)");
    if (r.word() != data_hash_) Reader::fail("different training data");

    State s = state_;  // same shapes; the reader overwrites every field it restores
    visit_state(r, s);
    if (!r.done()) Reader::fail("trailing bytes");

    // Sizes, ranges and the cursor must fit this trainer; numbers that must be finite are.
    for (std::size_t l = 0; l < layer_count(); ++l) {
        const DenseLayer& layer = s.layers[l];
        if (!all_finite(layer.weights.data(), layer.weights.size()) ||
            !all_finite(layer.biases.data(), layer.biases.size()))
            Reader::fail("non-finite parameters");
        if (!same_sizes(s.optimizer[l].weights, state_.optimizer[l].weights) ||
            !same_sizes(s.optimizer[l].biases, state_.optimizer[l].biases))
            Reader::fail("optimizer state sizes differ");
        if (!state_finite(s.optimizer[l])) Reader::fail("non-finite optimizer state");
    }
    const std::size_t n_train = train_.size();
    if (s.order.size() != n_train) Reader::fail("different number of training samples");
    std::vector<bool> seen(n_train, false);
    for (std::uint32_t k : s.order) {
        if (k >= n_train || seen[k]) Reader::fail("the training order is not a permutation");
        seen[k] = true;
    }
    if (s.work.indices.size() != s.work.rows) Reader::fail("bad batch");
    for (std::uint32_t k : s.work.indices)
        if (k >= n_train) Reader::fail("bad batch index");
    if ((s.probe && *s.probe >= n_train) || (s.work.has_probe && s.work.probe_index >= n_train))
        Reader::fail("bad probe index");
    if (s.layer >= layer_count() || (n_train > 0 && s.batch >= batches_per_epoch()))
        Reader::fail("cursor out of range");
    if (!flags_fit_cursor(s)) Reader::fail("the cursor and the trace disagree");
    if (s.epoch_samples > n_train || !std::isfinite(s.epoch_loss_sum) ||
        !std::isfinite(s.batch_loss) || std::isnan(s.schedule.best))
        Reader::fail("bad epoch totals");
    if (!(s.schedule.lr > 0.0) || !std::isfinite(s.schedule.lr)) Reader::fail("bad learning rate");
    state_ = std::move(s);
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
        order = epoch_order(train_.size(), merged.shuffle, rng);
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

namespace {

void check_row(std::size_t row, std::size_t computed) {
    if (row >= computed)
        throw LabError("out_of_range", "sample",
                       "sample row " + std::to_string(row) + " is not in the current batch; allowed: 0 to " +
                           std::to_string(computed == 0 ? 0 : computed - 1));
}

}  // namespace

std::vector<double> Trainer::sample_weight_grad(std::size_t l, std::size_t row) const {
    check_layer(l, "sample gradient");
    check_row(row, state_.work.computed_rows());
    const std::size_t units = sizes_[l + 1], in = sizes_[l];
    const double* x = layer_input(l) + row * in;
    const double* down = state_.work.trace[l].downstream_grad.data() + row * units;
    std::vector<double> dw(units * in);
    for (std::size_t j = 0; j < units; ++j)
        for (std::size_t i = 0; i < in; ++i) dw[j * in + i] = down[j] * x[i];  // dl/dz_j · a_i
    return dw;
}

double Trainer::sample_loss_of(std::size_t row) const {
    check_row(row, state_.work.computed_rows());
    const LayerTrace& t = state_.work.trace.back();
    const std::size_t out = sizes_.back();
    return sample_loss(config_.loss, t.pre_activation.data() + row * out, t.activation.data() + row * out,
                       state_.work.targets.data() + row * out, out);
}

PathDecomposition Trainer::chain_paths(std::size_t l, std::size_t j, std::size_t i,
                                       std::optional<std::size_t> row, std::size_t limit) const {
    check_layer(l, "paths");
    const std::size_t last = layer_count() - 1;
    if (j >= sizes_[l + 1] || i >= sizes_[l])
        throw LabError("out_of_range", "unit",
                       "weight [" + std::to_string(j) + "][" + std::to_string(i) + "] is not in layer " +
                           std::to_string(l) + "; allowed: to 0 … " + std::to_string(sizes_[l + 1] - 1) +
                           ", from 0 … " + std::to_string(sizes_[l] - 1));
    const BatchWork& w = state_.work;
    if (!w.trace[l].backward_done)
        throw LabError("not_ready", "layer",
                       "backward has not reached layer " + std::to_string(l) + " in this batch yet");
    if (row) check_row(*row, w.computed_rows());
    if (limit < 1 || limit > 4096)
        throw LabError("invalid_argument", "limit", "limit is " + std::to_string(limit) + "; allowed: 1 to 4096");
    // Paths × the samples each is averaged over, counted without overflowing size_t (32 bits in wasm).
    const std::size_t samples = row ? 1 : w.rows;
    std::size_t count = 1;
    bool too_many = samples > Limits::max_path_products;
    for (std::size_t m = l + 1; m <= last && !too_many; ++m) {
        too_many = count > Limits::max_path_products / samples / sizes_[m + 1];
        count *= sizes_[m + 1];
    }
    if (too_many)
        throw LabError("out_of_range", "layer",
                       "too many paths lead from layer " + std::to_string(l) + " to the loss" +
                           (row ? "" : " to average over the batch") + "; allowed: at most " +
                           std::to_string(Limits::max_path_products) +
                           " path products per call (pick one sample, or a layer nearer the output)");

    // The weights the batch's backward pass used (after the update: the ones before it).
    const bool updated = w.trace.front().update_done;
    auto weight = [&](std::size_t m, std::size_t to, std::size_t from) {
        const auto& source = updated ? w.trace[m].weights_before : state_.layers[m].weights;
        return source.data()[to * sizes_[m] + from];
    };
    // One sample's factors along a path, in the order of ChainPath.
    auto factors_of = [&](std::size_t r, const std::vector<std::size_t>& units, std::vector<double>& f) {
        f.clear();
        f.push_back(layer_input(l)[r * sizes_[l] + i]);  // a_i
        for (std::size_t m = l; m <= last; ++m) {
            const std::size_t k = units[m - l];
            if (m > l) f.push_back(weight(m, k, units[m - l - 1]));
            const LayerTrace& t = w.trace[m];
            // hidden units pass on f'(z); the output unit hands over dl/dz exactly (softmax and loss included)
            f.push_back(m < last ? t.local_grad.data()[r * sizes_[m + 1] + k]
                                 : t.downstream_grad.data()[r * sizes_[m + 1] + k]);
        }
    };
    auto product_of = [](const std::vector<double>& f) {
        double p = 1.0;
        for (double x : f) p *= x;
        return p;
    };

    PathDecomposition out;
    out.count = count;
    std::vector<std::size_t> units(last - l + 1, 0);
    units[0] = j;
    std::vector<double> f;
    auto smaller = [](const ChainPath& a, const ChainPath& b) { return std::abs(a.product) > std::abs(b.product); };
    for (std::size_t p = 0; p < count; ++p) {
        // the p-th path, counting in mixed radix over the layers above l
        std::size_t rest = p;
        for (std::size_t m = last; m > l; --m) {
            units[m - l] = rest % sizes_[m + 1];
            rest /= sizes_[m + 1];
        }
        double product = 0.0;
        if (row) {
            factors_of(*row, units, f);
            product = product_of(f);
        } else {
            for (std::size_t r = 0; r < w.rows; ++r) {
                factors_of(r, units, f);
                product += product_of(f);
            }
            product /= static_cast<double>(w.rows);
        }
        out.sum += product;
        if (out.paths.size() < limit || std::abs(product) > std::abs(out.paths.front().product)) {
            ChainPath path{units, product, row ? f : std::vector<double>{}};
            if (out.paths.size() == limit) {
                std::pop_heap(out.paths.begin(), out.paths.end(), smaller);
                out.paths.back() = std::move(path);
            } else {
                out.paths.push_back(std::move(path));
            }
            std::push_heap(out.paths.begin(), out.paths.end(), smaller);
        }
    }
    std::sort_heap(out.paths.begin(), out.paths.end(), smaller);
    for (const ChainPath& path : out.paths) out.listed_sum += path.product;
    return out;
}

}  // namespace bplab
