#pragma once
// A config as the API spells it, read and written by tables: each field's key
// and member, and for the optimizer and the schedule the settings tables
// (settings.hpp) with their defaults. Reading reports every problem at once,
// none twice, and none that only follows from another.
#include <vector>

#include "bplab/config.hpp"
#include "bplab/value.hpp"

namespace bplab {

// The config a value describes, and every problem of reading and of validating it.
TrainerConfig read_config(const Value& config, std::vector<ConfigProblem>& problems);

// The complete config, every default filled in, in the shape read_config takes.
Value write_config(const TrainerConfig& config);

// The optimizer or the schedule of a lab-level call (the optimizer race, schedule curves):
// LabError("invalid_argument") names the first problem of reading it.
OptimizerConfig read_optimizer(const Value& optimizer);
ScheduleConfig read_schedule(const Value& schedule);

// The settings tables as lab.settings lists them: for each setting its field, type, values or
// range, default and the defaults that differ by kind, readers and what a live change does.
Value settings_table();

}  // namespace bplab
