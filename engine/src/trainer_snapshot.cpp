// Snapshots: everything that changes while training, written and read by one
// list of fields, checksummed, and checked against this trainer before use.
#include "bplab/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "bplab/errors.hpp"
#include "trainer_detail.hpp"

namespace bplab {
using namespace detail;
namespace {

// ---- snapshot encoding -------------------------------------------------------

constexpr std::uint64_t snapshot_magic = 0x31534C504250ULL;  // "BPLS1"
constexpr std::uint64_t snapshot_version = 4;

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
    ar.size(w.epoch);
    ar.size(w.batch);
    ar.size(w.rows);
    ar.flag(w.has_probe);
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

}  // namespace

std::uint64_t detail::hash_split(const Split& split) {
    Hash h;
    h.word(split.size());
    h.numbers(split.inputs.data(), split.inputs.size());
    h.numbers(split.targets.data(), split.targets.size());
    return h.value();
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
    if ((s.probe && *s.probe >= n_train) || (s.work.has_probe && !s.probe)) Reader::fail("bad probe index");
    if (s.layer >= layer_count() || (n_train > 0 && s.batch >= batches_per_epoch()))
        Reader::fail("cursor out of range");
    if (!flags_fit_cursor(s)) Reader::fail("the cursor and the trace disagree");
    if (s.epoch_samples > n_train || !std::isfinite(s.epoch_loss_sum) ||
        !std::isfinite(s.batch_loss) || std::isnan(s.schedule.best))
        Reader::fail("bad epoch totals");
    if (!(s.schedule.lr > 0.0) || !std::isfinite(s.schedule.lr)) Reader::fail("bad learning rate");
    state_ = std::move(s);
}

}  // namespace bplab
