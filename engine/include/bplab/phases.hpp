#pragma once
// The phase machine. A cursor walks
//   forward(0) … forward(L−1) → loss → backward(L−1) … backward(0) → update
// one phase a step, then on to the next batch, and after the last batch of an
// epoch to the next epoch. What each phase computes is the trainer's
// (trainer.cpp); the machine moves the cursor, keeps the epoch's totals, and
// takes a call back when it diverges: when the loss or a parameter went
// non-finite, everything is as it was before the call.
#include <cstddef>
#include <string>
#include <vector>

#include "bplab/state.hpp"

namespace bplab {

// Where training stands, as the API reports it.
struct Cursor {
    Phase phase = Phase::forward;  // the phase the next step runs
    std::size_t layer = 0;
    std::size_t epoch = 0;         // epochs completed
    std::size_t batch = 0;         // index of the current batch within the epoch
    std::size_t batches_per_epoch = 0;
};

// Why a step was undone, and what to do: at this cursor, with this learning rate.
std::string diverged_message(const Cursor& at, double lr);

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

// The machine drives `Steps`, the trainer (trainer.cpp), which computes the phases:
//   batches_per_epoch()  gather_batch()  forward(l)  loss()  backward(l)  update()  end_epoch()
// loss() and update() return false when the loss or a parameter went non-finite (update() has
// then put the parameters back); gather_batch() fills the work buffer with the current batch's
// rows and the probe's; end_epoch() steps the schedule and draws the next epoch's order. The
// calls are direct: the machine runs a phase as cheaply as the trainer's own loop would.
class PhaseMachine {
public:
    // A second batch buffer shaped like the state's, for taking a step back.
    void reset(const TrainingState& s);

    template <class Steps>
    PhaseResult step_phase(TrainingState& s, Steps& steps);
    template <class Steps>
    BatchResult train_step(TrainingState& s, Steps& steps);  // the rest of the current batch
    template <class Steps>
    EpochResult train_epoch(TrainingState& s, Steps& steps);  // the rest of the current epoch

    // Back to the start of the current batch, as if none of its phases had run
    // (after new weights or settings, its trace no longer fits them).
    static void restart_batch(TrainingState& s);
    // After new data: both batch buffers index nothing, and the epoch starts over.
    void forget_batches(TrainingState& s);
    // Takes new batch buffers (a new batch size), and the epoch starts over.
    void adopt_buffers(TrainingState& s, BatchWork& work, BatchWork& previous) noexcept;

private:
    template <class Steps>
    PhaseResult run_phase(TrainingState& s, Steps& steps);
    void begin_batch(TrainingState& s);
    // The batch counts towards its epoch; true when it was the epoch's last.
    bool finish_batch(TrainingState& s, std::size_t batches_per_epoch);
    void end_epoch(TrainingState& s);
    void mark(const TrainingState& s);
    void roll_back(TrainingState& s);

    BatchWork previous_;  // the batch before the current one, swapped back on divergence
    // Where a call started: the cursor, the loss and the trace's flags.
    Position mark_at_;
    double mark_loss_ = 0.0;
    std::vector<std::uint8_t> mark_done_;  // forward, backward, update per layer
};

// ---- one phase, then the cursor moves on ----------------------------------------------------------

template <class Steps>
PhaseResult PhaseMachine::run_phase(TrainingState& s, Steps& steps) {
    Position& at = s.at;
    PhaseResult ran{at.phase, at.layer, false};
    const std::size_t last = s.network.size() - 1;
    switch (at.phase) {
        case Phase::forward:
            if (at.layer == 0) {
                begin_batch(s);
                steps.gather_batch();
            }
            steps.forward(at.layer);
            if (at.layer < last) at.layer += 1;
            else at.phase = Phase::loss;
            break;
        case Phase::loss:
            ran.diverged = !steps.loss();
            if (ran.diverged) break;
            at.phase = Phase::backward;
            at.layer = last;
            break;
        case Phase::backward:
            steps.backward(at.layer);
            if (at.layer > 0) at.layer -= 1;
            else at.phase = Phase::update;
            break;
        case Phase::update:
            ran.diverged = !steps.update();
            if (ran.diverged) break;
            if (finish_batch(s, steps.batches_per_epoch())) {
                steps.end_epoch();  // the schedule steps on the epoch's loss
                end_epoch(s);
            }
            at.phase = Phase::forward;
            at.layer = 0;
            break;
    }
    return ran;
}

// ---- steps, batches, epochs; a diverged call is taken back ------------------------------------------

template <class Steps>
PhaseResult PhaseMachine::step_phase(TrainingState& s, Steps& steps) {
    mark(s);
    const PhaseResult ran = run_phase(s, steps);
    if (ran.diverged) roll_back(s);
    return ran;
}

template <class Steps>
BatchResult PhaseMachine::train_step(TrainingState& s, Steps& steps) {
    mark(s);
    for (;;) {
        const PhaseResult ran = run_phase(s, steps);
        if (ran.diverged) roll_back(s);
        if (ran.diverged || ran.phase == Phase::update) return {s.batch_loss, s.at.epoch, s.at.batch, ran.diverged};
    }
}

template <class Steps>
EpochResult PhaseMachine::train_epoch(TrainingState& s, Steps& steps) {
    const std::size_t epoch = s.at.epoch;
    while (s.at.epoch == epoch)
        if (train_step(s, steps).diverged) return {s.batch_loss, s.at.epoch, s.schedule.lr, true};
    return {s.epoch.last_loss, s.at.epoch, s.schedule.lr, false};
}

}  // namespace bplab
