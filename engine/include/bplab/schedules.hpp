#pragma once
// torch.optim.lr_scheduler, stepped once at the end of every epoch. Each
// schedule computes its next rate from the previous one the way torch's
// get_lr() does (recursively), so the numbers agree with PyTorch bit for bit.
#include <cstddef>
#include <limits>
#include <vector>

#include "bplab/names.hpp"

namespace bplab {

enum class ScheduleKind { constant, step, exponential, cosine, plateau };

inline constexpr NameTable<ScheduleKind, 5> schedule_names{{
    {"constant", ScheduleKind::constant},
    {"step", ScheduleKind::step},
    {"exponential", ScheduleKind::exponential},
    {"cosine", ScheduleKind::cosine},
    {"plateau", ScheduleKind::plateau},
}};

// What ReduceLROnPlateau watches at the end of each epoch: the loss of the test split
// (evaluated then; the training loss when there is no test split), or the mean training loss
// of the epoch's batches.
enum class PlateauMetric { test, train };

inline constexpr NameTable<PlateauMetric, 2> plateau_metric_names{
    {{"test", PlateauMetric::test}, {"train", PlateauMetric::train}}};

// Which schedules read each setting, its range and its default: settings.hpp.
struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::constant;
    std::size_t step_size;  // StepLR
    double gamma;           // StepLR, ExponentialLR
    std::size_t t_max;      // CosineAnnealingLR (named T_max in torch)
    double eta_min;         // CosineAnnealingLR
    double factor;          // ReduceLROnPlateau, mode 'min', threshold_mode 'rel'
    std::size_t patience;
    double threshold;
    std::size_t cooldown;
    double min_lr;
    double eps;
    PlateauMetric metric;
    ScheduleConfig();  // constant, every setting at its default
};

// The schedule's defaults; torch has no default gamma, so StepLR takes 0.1 and ExponentialLR 0.95.
ScheduleConfig default_schedule(ScheduleKind kind);

struct ScheduleState {
    std::size_t last_epoch = 0;  // epochs finished
    double lr = 0.0;             // the rate for the coming epoch
    double best = std::numeric_limits<double>::infinity();  // plateau
    std::size_t num_bad_epochs = 0;
    std::size_t cooldown_counter = 0;
};

ScheduleState start_schedule(double base_lr);

// Called after each epoch with the metric the schedule watches (only
// ReduceLROnPlateau reads it: see PlateauMetric); updates state.lr for the next epoch.
void step_schedule(const ScheduleConfig& config, double base_lr, double epoch_loss,
                   ScheduleState& state);

// The schedule over `epochs` epochs, stepped as training steps it: lr[e] is the rate epoch e
// trains with (epochs + 1 values, lr[0] the base); after each epoch, plateau's best loss and
// its count of epochs without improvement. losses[e] is the loss it watches after epoch e
// (empty: plateau's losses are all 0). The schedule is checked against base_lr (reported as
// "lr"), and the losses must be finite.
struct ScheduleCurve {
    std::vector<double> lr, best, bad_epochs;
};
ScheduleCurve schedule_curve(const ScheduleConfig& config, double base_lr, std::size_t epochs,
                             const std::vector<double>& losses);

}  // namespace bplab
