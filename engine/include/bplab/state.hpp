#pragma once
// Everything that changes while a trainer trains, in one plain struct: the
// phase machine moves it on (phases.hpp), a snapshot writes and reads exactly
// this (snapshot.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "bplab/dense.hpp"
#include "bplab/names.hpp"
#include "bplab/network.hpp"
#include "bplab/optimizers.hpp"
#include "bplab/random.hpp"
#include "bplab/schedules.hpp"

namespace bplab {

enum class Phase { forward, loss, backward, update };

inline constexpr NameTable<Phase, 4> phase_names{{
    {"forward", Phase::forward}, {"loss", Phase::loss}, {"backward", Phase::backward}, {"update", Phase::update}}};

// Where training stands: the phase the next step runs, and the batch and epoch.
struct Position {
    Phase phase = Phase::forward;
    std::size_t layer = 0;
    std::size_t epoch = 0;  // epochs completed
    std::size_t batch = 0;  // index of the current batch within the epoch
};

// The rows of one batch and what every layer computed for them. The probe,
// when there is one, rides along as one more row (row `rows`): the same code
// computes its chain rule, but it never enters the batch means.
struct BatchWork {
    std::size_t epoch = 0;  // which batch this is: its epoch, and its place in the epoch
    std::size_t batch = 0;
    std::size_t rows = 0;
    std::vector<std::uint32_t> indices;  // rows of the training split
    bool has_probe = false;              // row `rows` holds the probe for this batch
    xt::xtensor<double, 2> inputs;       // (capacity + 1) × input_size
    xt::xtensor<double, 2> targets;      // (capacity + 1) × output_size
    std::vector<LayerTrace> trace;

    std::size_t computed_rows() const { return rows + (has_probe ? 1 : 0); }
    // What layer l saw: the batch's inputs, or the activations of the layer below.
    const double* input_of(std::size_t l) const { return l == 0 ? inputs.data() : trace[l - 1].activation.data(); }
    // LabError("out_of_range") unless row is a computed row.
    void require_row(std::size_t row) const;
};

// An empty batch of up to `batch_size` rows (and the probe's) for this network.
BatchWork make_batch_work(const Network& net, std::size_t batch_size);

// The running sums of the current epoch, and the last epoch's mean loss.
struct EpochTotals {
    double loss_sum = 0.0;    // per-sample losses so far this epoch
    std::size_t samples = 0;
    double last_loss = 0.0;
};

struct TrainingState {
    Network network;                              // the parameters
    std::vector<LayerOptimizerState> optimizer;   // torch's state, per layer
    ScheduleState schedule;
    Rng shuffle_rng;
    std::vector<std::uint32_t> order;             // this epoch's order of the training split
    Position at;
    EpochTotals epoch;
    double batch_loss = 0.0;                      // of the last batch whose loss phase ran
    double update_lr = 0.0;                       // the rate of the last update
    std::optional<std::size_t> probe;             // the chosen probe sample
    BatchWork work;
};

}  // namespace bplab
