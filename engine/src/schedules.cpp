#include "bplab/schedules.hpp"

#include <algorithm>
#include <cmath>

#include "bplab/config.hpp"
#include "bplab/errors.hpp"
#include "bplab/settings.hpp"

namespace bplab {
namespace {

constexpr double pi = 3.14159265358979323846;

void plateau(const ScheduleConfig& c, double loss, ScheduleState& s) {
    if (loss < s.best * (1.0 - c.threshold)) {
        s.best = loss;
        s.num_bad_epochs = 0;
    } else {
        s.num_bad_epochs += 1;
    }
    if (s.cooldown_counter > 0) {
        s.cooldown_counter -= 1;
        s.num_bad_epochs = 0;
    }
    if (s.num_bad_epochs > c.patience) {
        const double new_lr = std::max(s.lr * c.factor, c.min_lr);
        if (s.lr - new_lr > c.eps) s.lr = new_lr;
        s.cooldown_counter = c.cooldown;
        s.num_bad_epochs = 0;
    }
}

}  // namespace

ScheduleConfig::ScheduleConfig() {
    for (const ScheduleSetting& s : schedule_settings) s.member.set(*this, s.base);
}

ScheduleConfig default_schedule(ScheduleKind kind) {
    ScheduleConfig c;
    c.kind = kind;
    for (const ScheduleSetting& s : schedule_settings) s.member.set(c, s.default_for(kind));
    return c;
}

ScheduleState start_schedule(double base_lr) {
    ScheduleState s;
    s.lr = base_lr;
    return s;
}

void step_schedule(const ScheduleConfig& c, double base_lr, double epoch_loss, ScheduleState& s) {
    s.last_epoch += 1;
    const double e = static_cast<double>(s.last_epoch);
    switch (c.kind) {
        case ScheduleKind::constant:
            return;
        case ScheduleKind::step:
            if (s.last_epoch % c.step_size == 0) s.lr *= c.gamma;
            return;
        case ScheduleKind::exponential:
            s.lr *= c.gamma;
            return;
        case ScheduleKind::cosine: {
            const double t_max = static_cast<double>(c.t_max);
            const long long phase = static_cast<long long>(s.last_epoch) - 1 -
                                    static_cast<long long>(c.t_max);
            if (phase % (2 * static_cast<long long>(c.t_max)) == 0) {
                s.lr += (base_lr - c.eta_min) * (1.0 - std::cos(pi / t_max)) / 2.0;
            } else {
                s.lr = (1.0 + std::cos(pi * e / t_max)) / (1.0 + std::cos(pi * (e - 1.0) / t_max)) *
                           (s.lr - c.eta_min) +
                       c.eta_min;
            }
            return;
        }
        case ScheduleKind::plateau:
            plateau(c, epoch_loss, s);
            return;
    }
}

ScheduleCurve schedule_curve(const ScheduleConfig& c, double base_lr, std::size_t epochs,
                             const std::vector<double>& losses) {
    for (const ConfigProblem& p : validate_schedule(c, base_lr, "lr"))
        throw LabError("invalid_argument", p.field, p.message());
    require_finite(losses.data(), losses.size(), "losses");
    ScheduleCurve curve;
    curve.lr.push_back(base_lr);
    ScheduleState state = start_schedule(base_lr);
    for (std::size_t e = 0; e < epochs; ++e) {
        step_schedule(c, base_lr, losses.empty() ? 0.0 : losses[e], state);
        curve.lr.push_back(state.lr);
        curve.best.push_back(state.best);
        curve.bad_epochs.push_back(static_cast<double>(state.num_bad_epochs));
    }
    return curve;
}

}  // namespace bplab
