#include "bplab/snapshot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "bplab/errors.hpp"
#include "kernels/kernels.hpp"

namespace bplab {
namespace {

constexpr std::uint64_t snapshot_magic = 0x31534C504250ULL;  // "BPLS1"
constexpr std::uint64_t snapshot_version = 6;

// A 64-bit hash of words (splitmix64's finaliser per word).
class Hash {
public:
    void word(std::uint64_t w) {
        h_ ^= w + 0x9e3779b97f4a7c15ULL + (h_ << 6) + (h_ >> 2);
        h_ = (h_ ^ (h_ >> 30)) * 0xbf58476d1ce4e5b9ULL;
        h_ = (h_ ^ (h_ >> 27)) * 0x94d049bb133111ebULL;
        h_ ^= h_ >> 31;
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

[[noreturn]] void fail(const std::string& why) {
    throw LabError("bad_snapshot", "snapshot", "not a snapshot of this trainer: " + why);
}

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

// ---- one list of everything a snapshot holds, read and written alike -----------------------------

template <class Archive, class P>
void visit_param_state(Archive& ar, P& s) {
    ar.u64(s.step);
    for (const StateArray& array : state_arrays) ar.values(s.*array.values);
}

// The first `rows` rows of a capacity × units array.
template <class Archive, class T>
void visit_rows(Archive& ar, T& t, std::size_t rows) {
    ar.block(t.data(), std::min(rows, t.shape()[0]) * t.shape()[1]);
}

// One batch: its rows, and each trace array only once its phase has run, so
// that equal states give equal bytes whatever earlier batches left behind.
template <class Archive, class W>
void visit_work(Archive& ar, W& w) {
    ar.size(w.epoch);
    ar.size(w.batch);
    ar.size(w.rows);
    ar.flag(w.has_probe);
    // only read bytes can claim these
    if (w.computed_rows() > w.inputs.shape()[0] || w.rows >= w.inputs.shape()[0])
        fail("a batch larger than the batch size");
    const std::size_t rows = w.computed_rows();
    ar.indices(w.indices);
    visit_rows(ar, w.inputs, rows);
    visit_rows(ar, w.targets, rows);
    for (auto& t : w.trace) {
        ar.flag(t.forward_done);
        ar.flag(t.backward_done);
        ar.flag(t.update_done);
        for (const TraceArray& array : trace_arrays) {
            if (!(t.*array.done)) continue;
            if (array.shape == TraceShape::per_sample) visit_rows(ar, t.*array.matrix, rows);
            else if (array.matrix) ar.block((t.*array.matrix).data(), (t.*array.matrix).size());
            else ar.block((t.*array.vector).data(), (t.*array.vector).size());
        }
    }
}

template <class Archive, class S>
void visit_state(Archive& ar, S& s) {
    for (auto& layer : s.network.layers) {
        ar.block(layer.weights.data(), layer.weights.size());
        ar.block(layer.biases.data(), layer.biases.size());
    }
    for (auto& opt : s.optimizer) {
        visit_param_state(ar, opt.weights);
        visit_param_state(ar, opt.biases);
    }
    // The numbers and the counts of the schedule, the cursor and the epoch.
    for (auto* x : {&s.schedule.lr, &s.schedule.best, &s.epoch.loss_sum, &s.epoch.last_loss, &s.batch_loss,
                    &s.update_lr})
        ar.num(*x);
    for (auto* n : {&s.schedule.last_epoch, &s.schedule.num_bad_epochs, &s.schedule.cooldown_counter, &s.at.layer,
                    &s.at.epoch, &s.at.batch, &s.epoch.samples})
        ar.size(*n);
    ar.phase(s.at.phase);
    ar.rng(s.shuffle_rng);
    ar.indices(s.order);
    ar.optional_size(s.probe);
    visit_work(ar, s.work);
}

// The header after the magic and the version: each word with what a mismatch means.
template <class Visit>
void visit_key(const SnapshotKey& key, Visit visit) {
    visit(key.sizes.size(), "different number of layers");
    for (std::size_t s : key.sizes) visit(s, "different layer sizes");
    visit(static_cast<std::uint64_t>(key.optimizer), "different optimizer");
    visit(key.batch_size, "different batch size");
    visit(key.train_size, "different number of training samples");
    visit(key.config, "different settings (activations, loss, optimizer, schedule or regularization)");
    visit(key.data, "different training data");
}

// The bytes before the trailing checksum, if it matches.
std::size_t checked_length(const std::uint8_t* bytes, std::size_t n) {
    constexpr std::size_t word = sizeof(std::uint64_t);
    if (n < 3 * word) fail("too short");
    std::uint64_t magic, version, stored;
    std::memcpy(&magic, bytes, word);
    if (magic != snapshot_magic) fail("wrong header");
    std::memcpy(&version, bytes + word, word);
    if (version != snapshot_version) fail("unknown version " + std::to_string(version));
    Hash checksum;
    checksum.bytes(bytes, n - word);
    std::memcpy(&stored, bytes + n - word, word);
    if (stored != checksum.value()) fail("damaged or truncated (checksum mismatch)");
    return n - word;
}

// The trace flags a cursor implies: forward(l) follows layers 0…l-1 going
// forward (or, at l = 0, any finished batch), loss follows all of them,
// backward(l) follows layers above l going back, update follows all.
bool flags_fit_cursor(const TrainingState& s) {
    if (s.at.phase == Phase::forward && s.at.layer == 0) return true;
    for (std::size_t l = 0; l < s.work.trace.size(); ++l) {
        const LayerTrace& t = s.work.trace[l];
        bool forward = true, backward = false;
        switch (s.at.phase) {
            case Phase::forward: forward = l < s.at.layer; break;
            case Phase::loss: break;
            case Phase::backward: backward = l > s.at.layer; break;
            case Phase::update: backward = true; break;
        }
        if (t.forward_done != forward || t.backward_done != backward || t.update_done) return false;
    }
    return s.work.rows > 0;
}

// Sizes, ranges and the cursor fit this trainer; numbers that must be finite are.
void check_state(const TrainingState& s, const TrainingState& like, const SnapshotKey& key) {
    for (std::size_t l = 0; l < s.network.size(); ++l) {
        const DenseLayer& layer = s.network.layers[l];
        if (!kernels::all_finite(layer.weights.data(), layer.weights.size()) ||
            !kernels::all_finite(layer.biases.data(), layer.biases.size()))
            fail("non-finite parameters");
        const LayerOptimizerState &opt = s.optimizer[l], &mine = like.optimizer[l];
        if (!same_sizes(opt.weights, mine.weights) || !same_sizes(opt.biases, mine.biases))
            fail("optimizer state sizes differ");
        if (!finite_state(opt.weights) || !finite_state(opt.biases)) fail("non-finite optimizer state");
    }
    const std::size_t n_train = key.train_size;
    if (s.order.size() != n_train) fail("different number of training samples");
    std::vector<bool> seen(n_train, false);
    for (std::uint32_t k : s.order) {
        if (k >= n_train || seen[k]) fail("the training order is not a permutation");
        seen[k] = true;
    }
    if (s.work.indices.size() != s.work.rows) fail("bad batch");
    for (std::uint32_t k : s.work.indices)
        if (k >= n_train) fail("bad batch index");
    if ((s.probe && *s.probe >= n_train) || (s.work.has_probe && !s.probe)) fail("bad probe index");
    if (s.at.layer >= s.network.size() || (n_train > 0 && s.at.batch >= key.batches_per_epoch))
        fail("cursor out of range");
    if (!flags_fit_cursor(s)) fail("the cursor and the trace disagree");
    if (s.epoch.samples > n_train || !std::isfinite(s.epoch.loss_sum) || !std::isfinite(s.batch_loss) ||
        std::isnan(s.schedule.best))
        fail("bad epoch totals");
    if (!(s.schedule.lr > 0.0) || !std::isfinite(s.schedule.lr)) fail("bad learning rate");
}

}  // namespace

std::vector<std::uint8_t> write_snapshot(const SnapshotKey& key, const TrainingState& state) {
    Writer w;
    w.word(snapshot_magic);
    w.word(snapshot_version);
    visit_key(key, [&](std::uint64_t word, const char*) { w.word(word); });
    visit_state(w, state);
    Hash checksum;
    checksum.bytes(w.bytes.data(), w.bytes.size());
    w.word(checksum.value());
    return std::move(w.bytes);
}

TrainingState read_snapshot(const std::uint8_t* bytes, std::size_t n, const SnapshotKey& key,
                            const TrainingState& like) {
    if (bytes == nullptr) fail("no bytes");
    Reader r(bytes, checked_length(bytes, n));
    r.word();  // magic and version, checked with the checksum
    r.word();
    visit_key(key, [&](std::uint64_t word, const char* differs) {
        if (r.word() != word) fail(differs);
    });
    TrainingState s = like;  // same shapes; the reader overwrites every field it restores
    visit_state(r, s);
    if (!r.done()) fail("trailing bytes");
    check_state(s, like, key);
    return s;
}

std::uint64_t config_fingerprint(const TrainerConfig& config) {
    Hash h;
    for (const ConfigField& field : config_fields(config)) h.word(field.word);
    return h.value();
}

std::uint64_t hash_split(const Split& split) {
    Hash h;
    h.word(split.size());
    for (const auto* values : {&split.inputs, &split.targets})
        for (double x : *values) {
            std::uint64_t w;
            std::memcpy(&w, &x, sizeof w);
            h.word(w);
        }
    return h.value();
}

}  // namespace bplab
