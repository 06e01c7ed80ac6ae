#pragma once
// torch.optim.lr_scheduler, stepped once at the end of every epoch. Each
// schedule computes its next rate from the previous one the way torch's
// get_lr() does (recursively), so the numbers agree with PyTorch bit for bit.
#include <cstddef>
#include <limits>

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

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::constant;
    std::size_t step_size = 10;  // StepLR
    double gamma = 0.1;          // StepLR, ExponentialLR
    std::size_t t_max = 50;      // CosineAnnealingLR (named T_max in torch)
    double eta_min = 0.0;        // CosineAnnealingLR
    double factor = 0.1;         // ReduceLROnPlateau, mode 'min', threshold_mode 'rel'
    std::size_t patience = 10;
    double threshold = 1e-4;
    std::size_t cooldown = 0;
    double min_lr = 0.0;
    double eps = 1e-8;
};

struct ScheduleState {
    std::size_t last_epoch = 0;  // epochs finished
    double lr = 0.0;             // the rate for the coming epoch
    double best = std::numeric_limits<double>::infinity();  // plateau
    std::size_t num_bad_epochs = 0;
    std::size_t cooldown_counter = 0;
};

ScheduleState start_schedule(double base_lr);

// Called after each epoch with that epoch's mean training loss (only
// ReduceLROnPlateau reads it); updates state.lr for the next epoch.
void step_schedule(const ScheduleConfig& config, double base_lr, double epoch_loss,
                   ScheduleState& state);

}  // namespace bplab
