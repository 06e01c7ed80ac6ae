#pragma once
// Every optimizer and schedule setting in one table each: its name as a
// config spells it, its type and range, its default (and the optimizers or
// schedules whose own default differs), which of them read it, and what a
// change does to a live trainer. The defaults, validation (config.cpp), the
// snapshot's config fingerprint, the live reconfigure's diff, the JS config
// reader and writer and lab.settings all walk these two tables.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "bplab/limits.hpp"
#include "bplab/names.hpp"
#include "bplab/optimizers.hpp"
#include "bplab/schedules.hpp"

namespace bplab {

enum class SettingType { number, count, flag, choice };

inline constexpr NameTable<SettingType, 4> setting_type_names{{
    {"number", SettingType::number}, {"count", SettingType::count}, {"flag", SettingType::flag},
    {"choice", SettingType::choice}}};

// What a live trainer does when a setting changes (Trainer::reconfigure).
enum class OnChange { keep, new_state, restart_schedule, new_batches, refuse };

inline constexpr NameTable<OnChange, 5> on_change_names{{
    {"keep", OnChange::keep}, {"newState", OnChange::new_state}, {"restartSchedule", OnChange::restart_schedule},
    {"newBatches", OnChange::new_batches}, {"refuse", OnChange::refuse}}};

// How a table reaches a field of its config struct: as a double, whatever its C++ type
// (a count, a flag 0 or 1, a choice by its enum value). Choices also name their values.
template <class Config>
struct Member {
    SettingType type;
    double (*get)(const Config&);
    void (*set)(Config&, double);
    std::optional<double> (*value_of)(std::string_view name) = nullptr;  // choices
    std::string_view (*name_of)(double value) = nullptr;
    std::string (*names)() = nullptr;  // "'a', 'b' or 'c'"
    std::size_t choices = 0;           // values 0 … choices − 1, named by name_of
};

namespace detail {

template <class M>
struct MemberTraits;
template <class C, class T>
struct MemberTraits<T C::*> {
    using Config = C;
    using Type = T;
};

template <auto M>
using ConfigOf = typename MemberTraits<decltype(M)>::Config;
template <auto M>
using TypeOf = typename MemberTraits<decltype(M)>::Type;

template <class T>
T from_double(double v) {
    if constexpr (std::is_enum_v<T>) return static_cast<T>(static_cast<std::underlying_type_t<T>>(v));
    else return static_cast<T>(v);
}

template <auto M>
double get(const ConfigOf<M>& c) { return static_cast<double>(c.*M); }
template <auto M>
void set(ConfigOf<M>& c, double v) { c.*M = from_double<TypeOf<M>>(v); }

}  // namespace detail

// A number, a count or a flag, by the type of the member.
template <auto M>
constexpr Member<detail::ConfigOf<M>> member() {
    using T = detail::TypeOf<M>;
    constexpr SettingType type = std::is_same_v<T, bool>     ? SettingType::flag
                                 : std::is_same_v<T, double> ? SettingType::number
                                                             : SettingType::count;
    return {type, &detail::get<M>, &detail::set<M>};
}

// A choice among the names of a NameTable.
template <auto M, const auto& Table>
constexpr Member<detail::ConfigOf<M>> choice() {
    using E = detail::TypeOf<M>;
    return {SettingType::choice, &detail::get<M>, &detail::set<M>,
            [](std::string_view name) -> std::optional<double> {
                if (auto e = from_name(Table, name)) return static_cast<double>(*e);
                return std::nullopt;
            },
            [](double value) { return to_name(Table, detail::from_double<E>(value)); },
            [] { return allowed_names(Table); },
            std::tuple_size_v<std::remove_reference_t<decltype(Table)>>};
}

// The range of a number or a count; an open end is not allowed itself.
struct Range {
    double lo = 0.0, hi = 0.0;
    bool lo_open = false, hi_open = false;
};
constexpr Range from_to(double lo, double hi) { return {lo, hi, false, false}; }
constexpr Range from_below(double lo, double hi) { return {lo, hi, false, true}; }
constexpr Range above_at_most(double lo, double hi) { return {lo, hi, true, false}; }
constexpr Range above_below(double lo, double hi) { return {lo, hi, true, true}; }

// A set of optimizers or schedules, by enum value.
template <class Kind>
constexpr std::uint32_t kinds(std::initializer_list<Kind> list) {
    std::uint32_t bits = 0;
    for (Kind k : list) bits |= 1u << static_cast<unsigned>(k);
    return bits;
}

template <class Kind>
struct KindDefault {
    Kind kind;
    double value;
};

template <class Config, class Kind>
struct Setting {
    const char* name;  // as a config spells it: "lr", "weightDecay"
    Member<Config> member;
    Range range;
    double base;                 // the default
    std::uint32_t readers;       // the kinds that read it
    OnChange on_change;
    KindDefault<Kind> differs[2] = {};  // the kinds whose own default differs: the first differ_count
    std::size_t differ_count = 0;
    bool at_most_lr = false;     // a floor: at most the learning rate, where a reader reads it

    bool read_by(Kind k) const { return (readers >> static_cast<unsigned>(k)) & 1u; }
    double default_for(Kind k) const {
        for (std::size_t i = 0; i < differ_count; ++i)
            if (differs[i].kind == k) return differs[i].value;
        return base;
    }
};

using OptimizerSetting = Setting<OptimizerConfig, OptimizerKind>;
using ScheduleSetting = Setting<ScheduleConfig, ScheduleKind>;

namespace detail {
using O = OptimizerKind;
constexpr std::uint32_t all_optimizers =
    kinds({O::sgd, O::momentum, O::nesterov, O::adagrad, O::rmsprop, O::adam, O::adamw});
constexpr std::uint32_t sgd_family = kinds({O::sgd, O::momentum, O::nesterov});
constexpr std::uint32_t adam_family = kinds({O::adam, O::adamw});
using S = ScheduleKind;
constexpr std::uint32_t plateau = kinds({S::plateau});
constexpr double max_epochs = static_cast<double>(Limits::max_epochs);
}  // namespace detail

// torch.optim's hyper-parameters with torch's defaults, in the order the API documents them.
inline constexpr OptimizerSetting optimizer_settings[] = {
    {"lr", member<&OptimizerConfig::lr>(), above_at_most(0.0, Limits::max_lr), 0.03, detail::all_optimizers,
     OnChange::restart_schedule},
    {"momentum", member<&OptimizerConfig::momentum>(), from_below(0.0, 1.0), 0.0,
     detail::sgd_family | kinds({OptimizerKind::rmsprop}), OnChange::new_state,
     {{OptimizerKind::momentum, 0.9}, {OptimizerKind::nesterov, 0.9}}, 2},
    {"dampening", member<&OptimizerConfig::dampening>(), from_to(0.0, 1.0), 0.0, detail::sgd_family, OnChange::keep},
    {"nesterov", member<&OptimizerConfig::nesterov>(), {}, 0.0, detail::sgd_family, OnChange::keep,
     {{OptimizerKind::nesterov, 1.0}}, 1},
    {"weightDecay", member<&OptimizerConfig::weight_decay>(), from_to(0.0, 1.0), 0.0, detail::all_optimizers,
     OnChange::keep, {{OptimizerKind::adamw, 0.01}}, 1},
    {"lrDecay", member<&OptimizerConfig::lr_decay>(), from_to(0.0, 1.0), 0.0, kinds({OptimizerKind::adagrad}),
     OnChange::keep},
    {"initialAccumulatorValue", member<&OptimizerConfig::initial_accumulator_value>(), from_to(0.0, 1e6), 0.0,
     kinds({OptimizerKind::adagrad}), OnChange::keep},
    {"alpha", member<&OptimizerConfig::alpha>(), from_below(0.0, 1.0), 0.99, kinds({OptimizerKind::rmsprop}),
     OnChange::keep},
    {"centered", member<&OptimizerConfig::centered>(), {}, 0.0, kinds({OptimizerKind::rmsprop}), OnChange::new_state},
    {"beta1", member<&OptimizerConfig::beta1>(), from_below(0.0, 1.0), 0.9, detail::adam_family, OnChange::keep},
    {"beta2", member<&OptimizerConfig::beta2>(), from_below(0.0, 1.0), 0.999, detail::adam_family, OnChange::keep},
    {"amsgrad", member<&OptimizerConfig::amsgrad>(), {}, 0.0, detail::adam_family, OnChange::new_state},
    {"eps", member<&OptimizerConfig::eps>(), above_at_most(0.0, 1.0), 1e-8,
     kinds({OptimizerKind::adagrad, OptimizerKind::rmsprop}) | detail::adam_family, OnChange::keep,
     {{OptimizerKind::adagrad, 1e-10}}, 1},
};

// torch.optim.lr_scheduler's parameters; a change restarts the schedule from the rate.
inline constexpr ScheduleSetting schedule_settings[] = {
    {"stepSize", member<&ScheduleConfig::step_size>(), from_to(1.0, detail::max_epochs), 10.0,
     kinds({ScheduleKind::step}), OnChange::restart_schedule},
    {"gamma", member<&ScheduleConfig::gamma>(), above_at_most(0.0, 1.0), 0.1,
     kinds({ScheduleKind::step, ScheduleKind::exponential}), OnChange::restart_schedule,
     {{ScheduleKind::exponential, 0.95}}, 1},
    {"tMax", member<&ScheduleConfig::t_max>(), from_to(1.0, detail::max_epochs), 50.0, kinds({ScheduleKind::cosine}),
     OnChange::restart_schedule},
    {"etaMin", member<&ScheduleConfig::eta_min>(), from_to(0.0, Limits::max_lr), 0.0, kinds({ScheduleKind::cosine}),
     OnChange::restart_schedule, {}, 0, true},
    {"factor", member<&ScheduleConfig::factor>(), above_below(0.0, 1.0), 0.1, detail::plateau,
     OnChange::restart_schedule},
    {"patience", member<&ScheduleConfig::patience>(), from_to(0.0, detail::max_epochs), 10.0, detail::plateau,
     OnChange::restart_schedule},
    {"threshold", member<&ScheduleConfig::threshold>(), from_to(0.0, 1.0), 1e-4, detail::plateau,
     OnChange::restart_schedule},
    {"cooldown", member<&ScheduleConfig::cooldown>(), from_to(0.0, detail::max_epochs), 0.0, detail::plateau,
     OnChange::restart_schedule},
    {"minLr", member<&ScheduleConfig::min_lr>(), from_to(0.0, Limits::max_lr), 0.0, detail::plateau,
     OnChange::restart_schedule, {}, 0, true},
    {"eps", member<&ScheduleConfig::eps>(), from_to(0.0, 1.0), 1e-8, detail::plateau, OnChange::restart_schedule},
    {"metric", choice<&ScheduleConfig::metric, plateau_metric_names>(), {}, static_cast<double>(PlateauMetric::test),
     detail::plateau, OnChange::restart_schedule},
};

// The kind itself, the "name" of an optimizer or schedule.
inline constexpr Member<OptimizerConfig> optimizer_kind = choice<&OptimizerConfig::kind, optimizer_names>();
inline constexpr Member<ScheduleConfig> schedule_kind = choice<&ScheduleConfig::kind, schedule_names>();

}  // namespace bplab
