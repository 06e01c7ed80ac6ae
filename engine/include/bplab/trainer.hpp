#pragma once
// The trainer: a network, its data, optimizer and schedule, composed into
// training steps in the course's order: forward layer by layer, the loss,
// backward layer by layer, the update, and the schedule at each epoch's end
// (the phase machine, phases.hpp, runs them one phase at a time). After any
// phase, trace(l) holds what the network has computed for the current batch
// so far; the page draws exactly these numbers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bplab/config.hpp"
#include "bplab/data.hpp"
#include "bplab/grid.hpp"
#include "bplab/paths.hpp"
#include "bplab/phases.hpp"
#include "bplab/snapshot.hpp"
#include "bplab/state.hpp"

namespace bplab {

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

    // Everything that changes while training (read only).
    const TrainingState& state() const { return state_; }
    const std::vector<std::size_t>& layer_sizes() const { return state_.network.sizes; }
    std::size_t layer_count() const { return state_.network.size(); }
    const DenseLayer& layer(std::size_t l) const;
    void set_weights(std::size_t l, const double* w, std::size_t n);
    void set_biases(std::size_t l, const double* b, std::size_t n);

    // Replaces the training split: x holds n points, y n targets.
    void set_data(const double* x, const double* y, std::size_t n);
    const Split& train_split() const { return data_.train; }
    const Split& test_split() const { return data_.test; }
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
    // The order the training samples take in the current epoch, then in each of the next
    // epochs − 1 epochs, drawn from a copy of the shuffling generator: training goes on exactly
    // as if this had not been asked (an exported script takes the lab's batches in these orders).
    std::vector<std::vector<std::uint32_t>> epoch_orders(std::size_t epochs) const;
    double learning_rate() const { return state_.schedule.lr; }
    // The rate the last update used (an epoch's end may have changed learning_rate since).
    double update_learning_rate() const { return state_.update_lr; }
    const LayerTrace& trace(std::size_t l) const;
    // The current batch: its rows and their indices in the training split.
    std::size_t batch_rows() const { return state_.work.rows; }
    const std::vector<std::uint32_t>& batch_indices() const { return state_.work.indices; }
    // What layer l saw for the current batch (rows × inputs).
    const double* layer_input(std::size_t l) const;
    double batch_loss() const { return state_.batch_loss; }
    // The current batch's loss phase has run (batch_loss is this batch's).
    bool loss_done() const;
    const LayerOptimizerState& optimizer_state(std::size_t l) const;
    // Each layer's mean |∂L/∂W| for the current batch (NaN where backward has not run).
    std::vector<double> gradient_sizes() const;

    // The probe: a training sample carried through every phase beside the
    // batch, with the batch's weights, outside its means. Choosing one
    // mid-batch computes it for the phases already run. nullopt clears it.
    void set_probe(std::optional<std::size_t> train_index);
    std::optional<std::size_t> probe() const { return state_.probe; }
    // The probe's row in the trace arrays, while the current batch carries it.
    std::optional<std::size_t> probe_row() const;
    // One computed row's own ∂ℓ/∂W (units × inputs) and its loss (output layer).
    std::vector<double> sample_weight_grad(std::size_t l, std::size_t row) const;
    double sample_loss_of(std::size_t row) const;
    // Every path from W_l[j][i] to the loss (paths.hpp).
    PathDecomposition chain_paths(std::size_t l, std::size_t j, std::size_t i, std::optional<std::size_t> row,
                                  std::size_t limit) const;

    Evaluation evaluate();
    // Per layer, the units that output 0 for every training point (grid.hpp): dead ReLUs.
    std::vector<std::size_t> dead_units() { return grid_.dead_units(state_.network, data_.train); }
    // Every neuron's activation over a res × res grid of the plane (grid.hpp).
    const std::vector<float>& heatmaps(std::size_t res, double x_min, double x_max, double y_min, double y_max);
    const std::vector<float>& input_heatmaps(std::size_t res, double x_min, double x_max, double y_min,
                                             double y_max);
    // Refuses the last heatmaps (or input heatmaps) that left float32: Grid::require_finite.
    void require_finite_heatmaps(bool inputs_only) const { grid_.require_finite(inputs_only); }

    // Everything that changes while training (snapshot.hpp), with a checksum.
    // Equal states give equal bytes.
    std::vector<std::uint8_t> snapshot() const;
    // Throws LabError("bad_snapshot") and changes nothing if the bytes are
    // damaged or belong to a trainer with another config or training data.
    void restore(const std::uint8_t* bytes, std::size_t n);

private:
    // The phases, in the course's order, as the phase machine calls them (phases.hpp).
    friend class PhaseMachine;
    std::size_t batches_per_epoch() const;
    void gather_batch();
    void forward(std::size_t l);
    bool loss();
    void backward(std::size_t l);
    bool update();
    void end_epoch();

    void check_layer(std::size_t l, const char* what) const;
    template <class Tensor>
    void set_parameters(Tensor& target, const char* field, const double* values, std::size_t n,
                        const std::string& shape);
    void require_data() const;
    void load_probe_row();
    SnapshotKey snapshot_key() const;

    TrainerConfig config_;
    Splits data_;
    std::uint64_t data_hash_ = 0;  // of the training split, for restore
    TrainingState state_;
    PhaseMachine machine_;
    std::vector<LayerOptimizerState> saved_optimizer_;  // for undoing a diverged update
    Grid grid_;
};

}  // namespace bplab
