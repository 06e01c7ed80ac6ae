#pragma once
// The trainer and its phase machine: forward(0 … L-1) → loss → backward(L-1 … 0)
// → update, one phase per step. After any phase, trace(l) holds what the
// network has computed for the current batch so far; the page draws exactly
// these numbers.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "bplab/config.hpp"
#include "bplab/names.hpp"
#include "bplab/network.hpp"
#include "bplab/optimizers.hpp"
#include "bplab/random.hpp"
#include "bplab/schedules.hpp"

namespace bplab {

enum class Phase { forward, loss, backward, update };

inline constexpr NameTable<Phase, 4> phase_names{{
    {"forward", Phase::forward},
    {"loss", Phase::loss},
    {"backward", Phase::backward},
    {"update", Phase::update},
}};

// One layer's share of the chain rule for the current batch. Per-sample
// arrays are capacity × units with the first `rows` rows in use. A field is
// meaningful once its phase has run (the *_done flags); until then it holds
// an earlier batch's numbers.
struct LayerTrace {
    xt::xtensor<double, 2> pre_activation;   // z
    xt::xtensor<double, 2> activation;       // a = f(z)
    xt::xtensor<double, 2> upstream_grad;    // dl/da, from the layer above (or the loss)
    xt::xtensor<double, 2> local_grad;       // f'(z); for softmax the Jacobian's diagonal
    xt::xtensor<double, 2> downstream_grad;  // dl/dz = upstream × local (softmax: the full sum)
    xt::xtensor<double, 2> weight_grad;      // dL/dW, batch mean of dl/dz_j · a_i (data loss only)
    xt::xtensor<double, 1> bias_grad;        // dL/db
    xt::xtensor<double, 2> penalty_grad;     // what L1/L2 adds to weight_grad for the optimizer
    xt::xtensor<double, 2> weights_before;   // the weights the update started from
    xt::xtensor<double, 1> biases_before;
    xt::xtensor<double, 2> weight_update;     // the change the optimizer applied
    xt::xtensor<double, 1> bias_update;
    bool forward_done = false;
    bool backward_done = false;
    bool update_done = false;
};

// The rows of one batch and what every layer computed for them. The probe,
// when there is one, rides along as one more row (row `rows`): the same
// kernels compute its chain rule, but it never enters the batch means.
struct BatchWork {
    std::size_t epoch = 0;  // which batch this is: its epoch, and its place in the epoch
    std::size_t batch = 0;
    std::size_t rows = 0;
    std::vector<std::uint32_t> indices;  // rows of the training split
    bool has_probe = false;              // row `rows` holds the probe (state.probe) for this batch
    xt::xtensor<double, 2> inputs;       // (capacity + 1) × input_size
    xt::xtensor<double, 2> targets;      // (capacity + 1) × output_size
    std::vector<LayerTrace> trace;
    std::size_t computed_rows() const { return rows + (has_probe ? 1 : 0); }
};

// The optimizer's state for one layer.
struct LayerOptimizerState {
    ParamState weights;
    ParamState biases;
};

// What the next phase is and where training stands.
struct Cursor {
    Phase phase = Phase::forward;  // the phase the next step runs
    std::size_t layer = 0;
    std::size_t epoch = 0;         // epochs completed
    std::size_t batch = 0;         // index of the current batch within the epoch
    std::size_t batches_per_epoch = 0;
};

struct PhaseResult {
    Phase phase;        // the phase that ran
    std::size_t layer;
    bool diverged;      // the step was undone: loss or parameters went non-finite
};

struct BatchResult {
    double loss;         // mean loss of the batch
    std::size_t epoch;   // epochs completed after the step
    std::size_t batch;   // batches completed in the current epoch after the step
    bool diverged;
};

struct EpochResult {
    double loss;         // mean training loss over the epoch's batches
    std::size_t epoch;   // epochs completed
    double lr;           // the rate for the next epoch
    bool diverged;
};

// One path from a weight W_l[j][i] to the loss, through one unit per layer
// above: units = [j, k_(l+1), …, o]. Its product is
//   a_i · f'(z_j) · Π_hidden m>l (W_m[k_m][k_(m-1)] · f'(z_(k_m))) · W_out[o][k] · dl/dz_o
// (for the output layer itself a_i · dl/dz_j), in that order in `factors`.
struct ChainPath {
    std::vector<std::size_t> units;
    double product = 0.0;
    std::vector<double> factors;  // empty for the batch mean
};

struct PathDecomposition {
    std::size_t count = 0;    // paths in all
    double sum = 0.0;         // over all paths: dl/dw_ji (one sample) or dL/dw_ji (batch mean)
    double listed_sum = 0.0;  // over the listed paths
    std::vector<ChainPath> paths;  // the largest |product| first
};

struct Evaluation {
    double train_loss, test_loss;          // NaN for an empty split
    double train_accuracy, test_accuracy;  // NaN for regression or an empty split
};

// One split of the data: the points (as supplied), the network inputs
// computed from them and the targets the loss compares against.
struct Split {
    std::vector<double> points;       // n × point_size
    xt::xtensor<double, 2> inputs;    // n × input_size
    xt::xtensor<double, 2> targets;   // n × output_size
    std::vector<double> labels;       // class index, or the regression value
    std::size_t size() const { return inputs.shape()[0]; }
};

class Trainer {
public:
    // Throws LabError("invalid_config") listing every problem.
    explicit Trainer(TrainerConfig config);

    const TrainerConfig& config() const { return config_; }
    // Takes new training settings on a live trainer, as changing a torch
    // optimizer's param_groups would: the optimizer (its state is kept when
    // the kind stays), learning rate and schedule (restarted from the new
    // rate), regularization, batch size (the current epoch starts over) and
    // shuffling. Everything that shapes the network or its data must stay:
    // LabError("invalid_config") names what differs, or lists the problems
    // of an invalid config; either way nothing changes.
    void reconfigure(const TrainerConfig& next);
    const std::vector<std::size_t>& layer_sizes() const { return sizes_; }
    std::size_t layer_count() const { return state_.layers.size(); }
    const DenseLayer& layer(std::size_t l) const;
    void set_weights(std::size_t l, const double* w, std::size_t n);
    void set_biases(std::size_t l, const double* b, std::size_t n);

    // Replaces the training split: x holds n points, y n targets.
    void set_data(const double* x, const double* y, std::size_t n);
    const Split& train_split() const { return train_; }
    const Split& test_split() const { return test_; }
    // n × outputs for n points.
    std::vector<double> predict(const double* x, std::size_t n);

    // A call that makes the loss, a parameter or the optimizer state
    // non-finite reports diverged and leaves everything as it was before the
    // call (train_epoch: before the batch that diverged; the batches before it
    // stay applied).
    PhaseResult step_phase();
    BatchResult train_step();
    EpochResult train_epoch();

    Cursor cursor() const;
    double learning_rate() const { return state_.schedule.lr; }
    // The rate the last update used (an epoch's end may have changed learning_rate since).
    double update_learning_rate() const { return state_.update_lr; }
    const LayerTrace& trace(std::size_t l) const;
    // The current batch: its rows, their indices in the training split, and
    // the inputs the first layer saw (rows × input_size).
    std::size_t batch_rows() const { return state_.work.rows; }
    // The epoch and the batch within it that the current batch (and its trace) is.
    std::pair<std::size_t, std::size_t> batch_step() const { return {state_.work.epoch, state_.work.batch}; }
    const std::vector<std::uint32_t>& batch_indices() const { return state_.work.indices; }
    const double* layer_input(std::size_t l) const;
    double batch_loss() const { return state_.batch_loss; }
    // The current batch's loss phase has run (batch_loss is this batch's).
    bool loss_done() const {
        return state_.phase == Phase::backward || state_.phase == Phase::update ||
               state_.work.trace.back().backward_done;
    }
    const LayerOptimizerState& optimizer_state(std::size_t l) const;

    // Each layer's mean |dL/dW| for the current batch (NaN where backward has
    // not run): the size of the gradient that reaches it, for watching
    // gradients vanish without copying whole traces.
    std::vector<double> gradient_sizes() const;

    // The probe: a training sample carried through every phase beside the
    // batch, with the batch's weights, outside its means. Choosing one
    // mid-batch computes it for the phases already run. nullopt clears it.
    void set_probe(std::optional<std::size_t> train_index);
    std::optional<std::size_t> probe() const { return state_.probe; }
    // The probe's row in the trace arrays, while the current batch carries it.
    std::optional<std::size_t> probe_row() const;
    // One computed row's own dl/dW (units × inputs) and its loss (output layer).
    std::vector<double> sample_weight_grad(std::size_t l, std::size_t row) const;
    double sample_loss_of(std::size_t row) const;

    // Every path from W_l[j][i] to the loss for one computed row (nullopt: the
    // batch mean), the `limit` largest listed. Needs backward to have run for
    // layer l (LabError "not_ready" otherwise).
    PathDecomposition chain_paths(std::size_t l, std::size_t j, std::size_t i,
                                  std::optional<std::size_t> row, std::size_t limit) const;

    Evaluation evaluate();

    // Every non-input neuron's activation over a res × res grid of the
    // (x1, x2) plane: neuron-major, then rows from y_max down, columns from
    // x_min across, at cell centres. Computed in float32 (four cells per
    // instruction): within 1e-5 of predict(), and the same float32 numbers in
    // the native and WebAssembly builds. The buffer is the trainer's and is
    // reused; it is only reallocated when res or the network grows.
    const std::vector<float>& heatmaps(std::size_t res, double x_min, double x_max, double y_min,
                                       double y_max);
    // The same grid for the input features (one map per input).
    const std::vector<float>& input_heatmaps(std::size_t res, double x_min, double x_max,
                                             double y_min, double y_max);

    // Everything that changes while training (parameters, optimizer state,
    // schedule, cursor, shuffle order and generator, the current batch and
    // the parts of its trace computed so far), with a checksum. Equal states
    // give equal bytes.
    std::vector<std::uint8_t> snapshot() const;
    // Throws LabError("bad_snapshot") and changes nothing if the bytes are
    // damaged or belong to a trainer with another config or training data.
    void restore(const std::uint8_t* bytes, std::size_t n);

    struct State {
        std::vector<DenseLayer> layers;
        std::vector<LayerOptimizerState> optimizer;
        ScheduleState schedule;
        Rng shuffle_rng;
        std::vector<std::uint32_t> order;  // training order of the current epoch
        Phase phase = Phase::forward;      // next phase to run
        std::size_t layer = 0;
        std::size_t epoch = 0;
        std::size_t batch = 0;
        double epoch_loss_sum = 0.0;       // sum of per-sample losses so far this epoch
        std::size_t epoch_samples = 0;
        double last_epoch_loss = 0.0;
        double batch_loss = 0.0;           // of the last batch whose loss phase ran
        double update_lr = 0.0;            // the rate of the last update
        std::optional<std::size_t> probe;  // the chosen probe sample
        BatchWork work;
    };

private:
    void prepare_split(const std::vector<double>& points, const std::vector<double>& labels,
                       std::size_t n, Split& split) const;
    void check_layer(std::size_t l, const char* what) const;
    void new_epoch_order();
    static void fill_order(std::vector<std::uint32_t>& order, std::size_t n, bool shuffle, Rng& rng);
    static void clear_batch(BatchWork& w) noexcept;
    std::size_t batches_per_epoch() const;

    void require_data() const;
    void mark();
    void roll_back();
    PhaseResult run_phase();

    void size_work(BatchWork& w, std::size_t batch_size) const;
    void begin_batch();
    void load_probe_row();
    void forward_layer(std::size_t l);
    bool compute_loss();
    void backward_layer(std::size_t l);
    bool apply_update();
    void undo_batch();
    void finish_batch();
    std::uint64_t config_fingerprint() const;

    // Runs the layers over `rows` rows of inputs; calls visit(start, count, z, a)
    // with the output layer's row-major z and a of rows start … start + count.
    template <class Visit>
    void forward_rows(const double* inputs, std::size_t rows, Visit visit);
    // Runs the layers over the first `points` points of a block stored by
    // column (see kernels::matvec_columns); calls visit(l, z, a) after each
    // layer with that layer's z and a, by column.
    template <class Visit>
    void forward_columns(const double* x, std::size_t points, Visit visit);
    void evaluate_split(const Split& split, double& loss, double& accuracy);

    // Where a call started, to return there if it diverges.
    struct Mark {
        Phase phase = Phase::forward;
        std::size_t layer = 0;
        double batch_loss = 0.0;
        std::vector<std::uint8_t> done;  // forward, backward, update flags per layer
    };

    TrainerConfig config_;
    std::vector<std::size_t> sizes_;
    Split train_, test_;
    std::uint64_t data_hash_ = 0;             // of the training split, for restore
    State state_;
    BatchWork previous_work_;  // the batch before the current one, swapped back on divergence
    Mark mark_;
    std::vector<LayerOptimizerState> saved_optimizer_;  // for undoing a diverged update
    std::vector<double> scratch_z_, scratch_a_;       // forward_columns: z, two halves of a
    std::vector<double> block_inputs_, rows_z_, rows_a_;  // forward_rows: its points by column, and back
    std::vector<double> softmax_scratch_;
    // The grid's inputs, block after block by column, and the res and ranges
    // they were made for: play asks for the same grid every frame. The grid
    // computes in float: its z and the two halves of its a, by column.
    std::vector<float> grid_inputs_;
    std::array<double, 5> grid_made_for_{};
    std::vector<float> grid_z_, grid_a_;
    std::vector<float> heatmap_, input_heatmap_;
};

}  // namespace bplab
