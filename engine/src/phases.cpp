#include "bplab/phases.hpp"

#include <string>
#include <utility>

#include "bplab/config.hpp"
#include "bplab/errors.hpp"

namespace bplab {

std::string diverged_message(const Cursor& at, double lr) {
    return "training diverged at epoch " + std::to_string(at.epoch) + ", batch " + std::to_string(at.batch) +
           ": the loss or a weight became infinite or NaN with learning rate " + describe(lr) +
           ". The step was undone; allowed: a smaller optimizer.lr, or reset the network.";
}

void BatchWork::require_row(std::size_t row) const {
    const std::size_t computed = computed_rows();
    if (row >= computed)
        throw LabError("out_of_range", "sample",
                       "sample row " + std::to_string(row) + " is not in the current batch; allowed: 0 to " +
                           std::to_string(computed == 0 ? 0 : computed - 1));
}

BatchWork make_batch_work(const Network& net, std::size_t batch_size) {
    const std::size_t capacity = batch_size + 1;  // room for the probe's row
    BatchWork w;
    w.inputs = xt::zeros<double>({capacity, net.inputs()});
    w.targets = xt::zeros<double>({capacity, net.outputs()});
    for (const DenseLayer& layer : net.layers) w.trace.push_back(make_trace(layer.inputs(), layer.units(), capacity));
    return w;
}

void PhaseMachine::reset(const TrainingState& s) {
    previous_ = s.work;
    mark_done_.assign(3 * s.network.size(), 0);
}

// The current batch moves aside (kept for a step back), the next one fills the other buffer.
void PhaseMachine::begin_batch(TrainingState& s) {
    std::swap(s.work, previous_);
    s.work.epoch = s.at.epoch;
    s.work.batch = s.at.batch;
    for (LayerTrace& t : s.work.trace) t.forward_done = t.backward_done = t.update_done = false;
}

// The batch's samples count towards the epoch's mean loss; after the epoch's
// last batch, that mean is known.
bool PhaseMachine::finish_batch(TrainingState& s, std::size_t batches_per_epoch) {
    s.epoch.loss_sum += s.batch_loss * static_cast<double>(s.work.rows);
    s.epoch.samples += s.work.rows;
    s.at.batch += 1;
    if (s.at.batch < batches_per_epoch) return false;
    // Each sample weighs the same, so a partial last batch counts for its rows only.
    s.epoch.last_loss = s.epoch.loss_sum / static_cast<double>(s.epoch.samples);
    return true;
}

void PhaseMachine::end_epoch(TrainingState& s) {
    s.at.epoch += 1;
    s.at.batch = 0;
    s.epoch.loss_sum = 0.0;
    s.epoch.samples = 0;
}

// ---- taking a call back -------------------------------------------------------------------------------

void PhaseMachine::mark(const TrainingState& s) {
    mark_at_ = s.at;
    mark_loss_ = s.batch_loss;
    for (std::size_t l = 0; l < s.work.trace.size(); ++l) {
        const LayerTrace& t = s.work.trace[l];
        mark_done_[3 * l] = t.forward_done;
        mark_done_[3 * l + 1] = t.backward_done;
        mark_done_[3 * l + 2] = t.update_done;
    }
}

// Back to the mark after a diverged phase. The parameters and the optimizer
// state were already put back by the update; if the call began the batch, the
// previous batch's work comes back, otherwise the trace's flags do (the fields
// the call wrote were not yet valid).
void PhaseMachine::roll_back(TrainingState& s) {
    const bool began_batch = mark_at_.phase == Phase::forward && mark_at_.layer == 0;
    if (began_batch) std::swap(s.work, previous_);
    for (std::size_t l = 0; l < s.work.trace.size() && !began_batch; ++l) {
        LayerTrace& t = s.work.trace[l];
        t.forward_done = mark_done_[3 * l] != 0;
        t.backward_done = mark_done_[3 * l + 1] != 0;
        t.update_done = mark_done_[3 * l + 2] != 0;
    }
    s.at = mark_at_;
    s.batch_loss = mark_loss_;
}

// ---- after new weights, data or settings --------------------------------------------------------------

void PhaseMachine::restart_batch(TrainingState& s) {
    s.at.phase = Phase::forward;
    s.at.layer = 0;
    for (LayerTrace& t : s.work.trace) t.forward_done = t.backward_done = t.update_done = false;
}

void PhaseMachine::forget_batches(TrainingState& s) {
    for (BatchWork* w : {&s.work, &previous_}) {
        w->rows = 0;
        w->indices.clear();
        w->has_probe = false;
    }
    s.at.batch = 0;
    s.epoch.loss_sum = 0.0;
    s.epoch.samples = 0;
    restart_batch(s);
}

void PhaseMachine::adopt_buffers(TrainingState& s, BatchWork& work, BatchWork& previous) noexcept {
    std::swap(s.work, work);
    std::swap(previous_, previous);
    s.at.batch = 0;
    s.epoch.loss_sum = 0.0;
    s.epoch.samples = 0;
    restart_batch(s);
}

}  // namespace bplab
