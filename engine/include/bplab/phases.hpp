#pragma once
// The phase machine. A cursor walks
//   forward(0) … forward(L−1) → loss → backward(L−1) … backward(0) → update
// one phase a step, then on to the next batch, and after the last batch of an
// epoch to the next epoch. What each phase computes is the trainer's
// (PhaseSteps); the machine moves the cursor, keeps the epoch's totals, and
// takes a call back when it diverges: when the loss or a parameter went
// non-finite, everything is as it was before the call.
#include <cstddef>
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

// What the phases compute: the trainer's part (trainer.cpp).
class PhaseSteps {
public:
    virtual std::size_t batches_per_epoch() const = 0;
    virtual void gather_batch() = 0;  // the current batch's rows (and the probe's) into the work buffer
    virtual void forward(std::size_t l) = 0;
    virtual bool loss() = 0;  // false: the loss is not finite
    virtual void backward(std::size_t l) = 0;
    virtual bool update() = 0;  // false: a parameter went non-finite, and all are back as they were
    virtual void end_epoch() = 0;  // the schedule steps; the next epoch's order is drawn

protected:
    ~PhaseSteps() = default;
};

class PhaseMachine {
public:
    // A second batch buffer shaped like the state's, for taking a step back.
    void reset(const TrainingState& s);

    PhaseResult step_phase(TrainingState& s, PhaseSteps& steps);
    BatchResult train_step(TrainingState& s, PhaseSteps& steps);  // the rest of the current batch
    EpochResult train_epoch(TrainingState& s, PhaseSteps& steps);  // the rest of the current epoch

    // Back to the start of the current batch, as if none of its phases had run
    // (after new weights or settings, its trace no longer fits them).
    static void restart_batch(TrainingState& s);
    // After new data: both batch buffers index nothing, and the epoch starts over.
    void forget_batches(TrainingState& s);
    // Takes new batch buffers (a new batch size), and the epoch starts over.
    void adopt_buffers(TrainingState& s, BatchWork& work, BatchWork& previous) noexcept;

private:
    PhaseResult run_phase(TrainingState& s, PhaseSteps& steps);
    void finish_batch(TrainingState& s, PhaseSteps& steps);
    void mark(const TrainingState& s);
    void roll_back(TrainingState& s);

    BatchWork previous_;  // the batch before the current one, swapped back on divergence
    // Where a call started: the cursor, the loss and the trace's flags.
    Position mark_at_;
    double mark_loss_ = 0.0;
    std::vector<std::uint8_t> mark_done_;  // forward, backward, update per layer
};

}  // namespace bplab
