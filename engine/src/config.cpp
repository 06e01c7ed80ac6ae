#include "bplab/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "bplab/errors.hpp"

namespace bplab {
namespace {

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// How an end of a range is written in a message: 0 ≤ x or 0 < x, x ≤ 1 or x < 1.
enum class End { closed, open };

std::string range_text(double lo, End low, double hi, End high) {
    const std::string from = low == End::closed ? "from " + describe(lo) : "above " + describe(lo);
    if (low == End::closed && high == End::closed) return "a number " + from + " to " + describe(hi);
    if (high == End::closed) return "a number " + from + ", at most " + describe(hi);
    return "a number " + from + (low == End::closed ? " to below " : ", below ") + describe(hi);
}

class Checker {
public:
    explicit Checker(std::vector<ConfigProblem>& out) : out_(out) {}

    // One problem per field: the first check that fails names it.
    void fail(const std::string& field, const std::string& value, const std::string& allowed,
              std::vector<std::string> related = {}) {
        if (failed(field)) return;
        out_.push_back({field, value, allowed, std::move(related)});
    }

    bool failed(const std::string& field) const {
        for (const auto& p : out_)
            if (p.field == field) return true;
        return false;
    }

    // Returns whether x passed, so that checks built on x can be skipped.
    bool range(const std::string& field, double x, double lo, End low, double hi, End high) {
        const bool low_ok = low == End::closed ? x >= lo : x > lo;
        const bool high_ok = high == End::closed ? x <= hi : x < hi;
        if (std::isfinite(x) && low_ok && high_ok) return true;
        fail(field, describe(x), range_text(lo, low, hi, high));
        return false;
    }

    bool count(const std::string& field, std::size_t x, std::size_t lo, std::size_t hi) {
        if (x >= lo && x <= hi) return true;
        fail(field, std::to_string(x),
             "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        return false;
    }

private:
    std::vector<ConfigProblem>& out_;
};

void check_layers(const TrainerConfig& c, Checker& check) {
    if (c.layers.empty() || c.layers.size() > Limits::max_layers) {
        check.fail("layers", c.layers.empty() ? "empty" : std::to_string(c.layers.size()) + " layers",
                   "1 to " + std::to_string(Limits::max_layers) + " layers, the output layer last");
        if (c.layers.empty()) return;
    }
    for (std::size_t l = 0; l < c.layers.size(); ++l) {
        const auto& layer = c.layers[l];
        const std::string at = "layers[" + std::to_string(l) + "]";
        const bool output = l + 1 == c.layers.size();
        const Activation kind = layer.activation.kind;
        const bool units_ok = check.count(at + ".units", layer.units, 1, Limits::max_units);
        if (kind == Activation::softmax && !output)
            check.fail(at + ".activation", "'softmax' on a hidden layer",
                       "softmax only on the output layer; hidden layers take " +
                           quoted("linear") + ", " + quoted("sigmoid") + ", " + quoted("tanh") + ", " +
                           quoted("relu") + ", " + quoted("leakyRelu") + " or " + quoted("elu"));
        if (kind == Activation::softmax && output && units_ok && layer.units < 2)
            check.fail(at + ".units", std::to_string(layer.units) + " with 'softmax'",
                       "at least 2 units for softmax (use 'sigmoid' for one output)", {at + ".activation"});
        for (auto& p : validate_alpha(layer.activation, at + ".alpha"))
            check.fail(p.field, p.value, p.allowed, {at + ".activation"});
    }
}

void check_loss(const TrainerConfig& c, Checker& check) {
    if (c.layers.empty()) return;
    const std::string out_field = "layers[" + std::to_string(c.layers.size() - 1) + "].activation";
    const Activation out = c.layers.back().activation.kind;
    const std::string loss = quoted(to_name(loss_names, c.loss));
    if (!loss_accepts_output(c.loss, out)) {
        const std::string need = quoted(c.loss == Loss::bce ? "sigmoid" : "softmax");
        check.fail("loss", loss + " with a " + quoted(to_name(activation_names, out)) + " output layer",
                   loss + " needs a " + need + " output layer; 'mse' works with any", {out_field});
    }
    if (c.dataset && is_regression(c.dataset->kind) && !squared_error(c.loss))
        check.fail("loss", loss + " on the regression dataset " + quoted(to_name(dataset_names, c.dataset->kind)),
                   "'mse' or 'half_mse' for regression", {"dataset.name"});
}

// One setting of a config as the checks see it: its table row, read for the chosen kind.
struct SettingValue {
    std::string field;    // "optimizer.momentum"
    SettingType type;
    Range range;
    double value;
    bool read;            // the chosen optimizer or schedule reads it
    bool at_most_lr;
    std::string readers;  // "'a', 'b' or 'c'"
};

template <class Config, class Kind, std::size_t N, std::size_t M>
std::vector<SettingValue> setting_values(const Config& config, Kind kind, const Setting<Config, Kind> (&table)[N],
                                         const NameTable<Kind, M>& names, const std::string& group) {
    std::vector<SettingValue> values;
    for (const auto& s : table) {
        std::vector<std::string> readers;
        for (const auto& [name, k] : names)
            if (s.read_by(k)) readers.push_back(quoted(name));
        std::string list;
        for (std::size_t i = 0; i < readers.size(); ++i)
            list += (i == 0 ? "" : i + 1 == readers.size() ? " or " : ", ") + readers[i];
        values.push_back({group + "." + s.name, s.member.type, s.range, s.member.get(config), s.read_by(kind),
                          s.at_most_lr, list});
    }
    return values;
}

// One table's settings (group "optimizer" or "schedule"): every number and count against its
// range, in table order, a floor also against the rate lr where the chosen kind reads it; then
// every flag, which must be false unless the chosen kind reads it.
void check_settings(const std::vector<SettingValue>& values, const std::string& group, const std::string& kind,
                    double lr, const std::string& lr_field, Checker& check) {
    const bool lr_ok = std::isfinite(lr) && lr > 0.0 && lr <= Limits::max_lr;
    for (const SettingValue& s : values) {
        const Range& r = s.range;
        const auto lo = static_cast<std::size_t>(r.lo), hi = static_cast<std::size_t>(r.hi);
        if (s.type == SettingType::count && s.value <= 0x1p53)
            check.count(s.field, static_cast<std::size_t>(s.value), lo, hi);
        else if (s.type == SettingType::count)
            check.fail(s.field, describe(s.value),
                       "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        if (s.type != SettingType::number) continue;
        const bool in_range = check.range(s.field, s.value, r.lo, r.lo_open ? End::open : End::closed, r.hi,
                                          r.hi_open ? End::open : End::closed);
        if (in_range && s.at_most_lr && lr_ok && s.read && s.value > lr)
            check.fail(s.field, describe(s.value), "a number from 0 to the learning rate " + describe(lr), {lr_field});
    }
    for (const SettingValue& s : values)
        if (s.type == SettingType::flag && s.value != 0.0 && !s.read)
            check.fail(s.field, "true with " + kind, "true only with " + s.readers, {group + ".name"});
}

void check_optimizer(const OptimizerConfig& o, Checker& check) {
    check_settings(setting_values(o, o.kind, optimizer_settings, optimizer_names, "optimizer"), "optimizer",
                   quoted(to_name(optimizer_names, o.kind)), o.lr, "optimizer.lr", check);
    // torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening".
    const bool momentum_ok = !check.failed("optimizer.momentum"), dampening_ok = !check.failed("optimizer.dampening");
    if (o.nesterov && momentum_ok && dampening_ok && (o.momentum <= 0.0 || o.dampening != 0.0))
        check.fail("optimizer.nesterov",
                   "true with momentum " + describe(o.momentum) + " and dampening " + describe(o.dampening),
                   "momentum above 0 and dampening 0 (as torch requires)",
                   {"optimizer.name", "optimizer.momentum", "optimizer.dampening"});
}

// lr_field: where the rate came from ("optimizer.lr" in a trainer's config, "lr" in a schedule call).
void check_schedule(const ScheduleConfig& s, double lr, Checker& check, const std::string& lr_field) {
    check_settings(setting_values(s, s.kind, schedule_settings, schedule_names, "schedule"), "schedule",
                   quoted(to_name(schedule_names, s.kind)), lr, lr_field, check);
}

void check_inputs(const TrainerConfig& c, Checker& check) {
    if (c.features.empty()) {
        check.count("inputs", c.inputs, 1, Limits::max_inputs);
        return;
    }
    for (std::size_t i = 0; i < c.features.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (c.features[i] == c.features[j])
                check.fail("features[" + std::to_string(i) + "]",
                           quoted(to_name(feature_names, c.features[i])) + " again", "each feature once");
}

void check_dataset(const TrainerConfig& c, Checker& check) {
    if (!c.dataset) return;
    const DatasetConfig& d = *c.dataset;
    const bool samples_ok = check.count("dataset.samples", d.samples, 2, Limits::max_samples);
    check.range("dataset.noise", d.noise, 0.0, End::closed, 1.0, End::closed);
    if (check.range("dataset.trainRatio", d.train_ratio, 0.0, End::open, 1.0, End::closed) && samples_ok &&
        std::floor(static_cast<double>(d.samples) * d.train_ratio) < 1.0)
        check.fail("dataset.trainRatio", describe(d.train_ratio),
                   "a ratio that leaves at least one of the " + std::to_string(d.samples) +
                       " samples for training",
                   {"dataset.samples"});
    const std::string name = quoted(to_name(dataset_names, d.kind));
    bool classes_ok = true;
    if (takes_classes(d.kind)) {
        classes_ok = check.count("dataset.classes", d.classes, 2, 5);
    } else if (d.classes != 2) {
        check.fail("dataset.classes", std::to_string(d.classes) + " for " + name,
                   "2 for " + name + "; 'spiral' and 'blobs' take 2 to 5", {"dataset.name"});
        classes_ok = false;
    }
    if (c.point_size() != 2)
        check.fail("inputs", std::to_string(c.inputs) + " with a dataset",
                   "2 (the plane's x1 and x2), or a features list, with a dataset");
    if (c.layers.empty() || !classes_ok) return;
    const std::size_t out = c.output_size();
    const std::string out_field = "layers[" + std::to_string(c.layers.size() - 1) + "].units";
    const std::vector<std::string> related = {"dataset.name", "dataset.classes"};
    if (is_regression(d.kind)) {
        if (out != 1) check.fail(out_field, std::to_string(out) + " for " + name, "1 output for regression", related);
        return;
    }
    const std::size_t classes = takes_classes(d.kind) ? d.classes : 2;
    if (out != classes && !(out == 1 && classes == 2))
        check.fail(out_field, std::to_string(out) + " for " + std::to_string(classes) + " classes",
                   std::to_string(classes) + " outputs (one per class)" + (classes == 2 ? " or 1" : ""), related);
}

}  // namespace

std::string describe(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", value);
    return text;
}

void require_finite(const double* x, std::size_t n, const std::string& field) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            throw LabError("invalid_argument", field,
                           field + "[" + std::to_string(i) + "] is " + describe(x[i]) + "; allowed: finite numbers");
}

std::vector<ConfigProblem> validate_alpha(const ActivationSpec& f, const std::string& field) {
    std::vector<ConfigProblem> problems;
    Checker check(problems);
    switch (f.kind) {
        case Activation::leaky_relu:
            check.range(field, f.alpha, 0.0, End::closed, 1.0, End::closed);
            break;
        case Activation::elu:
            check.range(field, f.alpha, 0.0, End::open, 10.0, End::closed);
            break;
        default:
            if (!std::isfinite(f.alpha))
                check.fail(field, describe(f.alpha), "a finite number (only 'leakyRelu' and 'elu' use alpha)");
    }
    return problems;
}

std::vector<ConfigProblem> validate_targets(Loss loss, const double* y, std::size_t n, std::size_t k,
                                            const std::string& field) {
    const std::string name = quoted(to_name(loss_names, loss));
    for (std::size_t r = 0; r < n; ++r) {
        const double* row = y + r * k;
        double sum = 0.0;
        for (std::size_t i = 0; i < k; ++i) {
            const std::string at = field + "[" + std::to_string(r * k + i) + "]";
            if (!std::isfinite(row[i])) return {{at, describe(row[i]), "finite numbers"}};
            if (!squared_error(loss) && (row[i] < 0.0 || row[i] > 1.0))
                return {{at, describe(row[i]), "a number from 0 to 1 for " + name}};
            sum += row[i];
        }
        if (loss == Loss::cce && std::abs(sum - 1.0) > 1e-9)
            return {{field, "a row (sample " + std::to_string(r) + ") summing to " + describe(sum),
                     "rows summing to 1 for 'cce' (one-hot: 1 for the class, 0 elsewhere)"}};
    }
    return {};
}

std::vector<ConfigProblem> validate(const TrainerConfig& c) {
    std::vector<ConfigProblem> problems;
    Checker check(problems);
    check_inputs(c, check);
    check_layers(c, check);
    check_loss(c, check);
    check_optimizer(c.optimizer, check);
    check_schedule(c.schedule, c.optimizer.lr, check, "optimizer.lr");
    check.range("regularization.rate", c.regularization.rate, 0.0, End::closed, 10.0, End::closed);
    check.count("batchSize", c.batch_size, 1, Limits::max_batch);
    check_dataset(c, check);
    // Only a network whose sizes are each allowed gets a memory estimate worth reporting.
    if (problems.empty()) {
        const double megabytes = estimated_memory(c) / (1024.0 * 1024.0);
        if (megabytes > Limits::max_memory_mb)
            check.fail("layers", "a network and batch needing about " + describe(std::round(megabytes)) + " MB",
                       "at most " + describe(Limits::max_memory_mb) +
                           " MB of engine memory (fewer or narrower layers, or a smaller batch)");
    }
    return problems;
}

void add_validation(const TrainerConfig& config, std::vector<ConfigProblem>& problems,
                    const std::map<std::string, std::string>& given) {
    // "layers[1].units" lies inside "layers[1]" and "layers", not inside "layers[10]".
    const auto inside = [](const std::string& field, const std::string& at) {
        if (field.rfind(at, 0) != 0) return false;
        return field.size() == at.size() || field[at.size()] == '.' || field[at.size()] == '[';
    };
    const std::vector<ConfigProblem> read = problems;
    for (ConfigProblem& p : validate(config)) {
        const bool follows = std::any_of(read.begin(), read.end(), [&](const ConfigProblem& q) {
            return inside(p.field, q.field) ||
                   std::any_of(p.related.begin(), p.related.end(),
                               [&](const std::string& r) { return inside(r, q.field); });
        });
        if (follows) continue;
        if (auto g = given.find(p.field); g != given.end()) p.value = g->second;
        problems.push_back(std::move(p));
    }
}

std::vector<ConfigProblem> validate_optimizer(const OptimizerConfig& optimizer) {
    std::vector<ConfigProblem> problems;
    Checker check(problems);
    check_optimizer(optimizer, check);
    return problems;
}

std::vector<ConfigProblem> validate_schedule(const ScheduleConfig& schedule, double lr, const std::string& lr_field) {
    std::vector<ConfigProblem> problems;
    Checker check(problems);
    check.range(lr_field, lr, 0.0, End::open, Limits::max_lr, End::closed);
    check_schedule(schedule, lr, check, lr_field);
    return problems;
}

void require_valid(const TrainerConfig& config) {
    const auto problems = validate(config);
    if (problems.empty()) return;
    std::string message = "invalid trainer config: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i > 0 ? "; " : "") + problems[i].message();
    throw LabError("invalid_config", problems.front().field, message);
}

std::string ConfigField::field() const {
    return layer == 0 ? name : std::string(name) + "[" + std::to_string(layer - 1) + "]";
}

std::vector<ConfigField> config_fields(const TrainerConfig& c) {
    std::vector<ConfigField> fields;
    const auto add = [&](OnChange on_change, const char* name, std::uint64_t word, std::size_t layer = 0) {
        fields.push_back({on_change, name, layer, word});
    };
    const auto number = [](double x) {
        std::uint64_t word;
        std::memcpy(&word, &x, sizeof word);
        return word;
    };
    const auto refuse = OnChange::refuse;
    add(refuse, "seed", c.seed);
    const char* inputs = c.features.empty() ? "inputs" : "features";
    add(refuse, inputs, c.inputs);
    add(refuse, inputs, c.features.size());
    for (Feature f : c.features) add(refuse, inputs, static_cast<std::uint64_t>(f));
    add(refuse, "layers", c.layers.size());
    for (std::size_t l = 0; l < c.layers.size(); ++l) {
        const ActivationSpec& f = c.layers[l].activation;
        const std::uint64_t kind = static_cast<std::uint64_t>(f.kind);
        for (std::uint64_t word : {std::uint64_t{c.layers[l].units}, kind, number(f.alpha)})
            add(refuse, "layers", word, l + 1);
    }
    add(refuse, "loss", static_cast<std::uint64_t>(c.loss));
    add(OnChange::new_state, "optimizer.name", static_cast<std::uint64_t>(c.optimizer.kind));
    for (const OptimizerSetting& s : optimizer_settings) add(s.on_change, s.name, number(s.member.get(c.optimizer)));
    add(OnChange::restart_schedule, "schedule.name", static_cast<std::uint64_t>(c.schedule.kind));
    for (const ScheduleSetting& s : schedule_settings) add(s.on_change, s.name, number(s.member.get(c.schedule)));
    add(OnChange::keep, "regularization.kind", static_cast<std::uint64_t>(c.regularization.kind));
    add(OnChange::keep, "regularization.rate", number(c.regularization.rate));
    add(refuse, "init", static_cast<std::uint64_t>(c.init));
    add(OnChange::new_batches, "batchSize", c.batch_size);
    add(OnChange::new_batches, "shuffle", c.shuffle ? 1 : 0);
    add(refuse, "dataset", c.dataset ? 1 : 0);
    if (!c.dataset) return fields;
    const DatasetConfig& d = *c.dataset;
    for (std::uint64_t word : {static_cast<std::uint64_t>(d.kind), std::uint64_t{d.samples}, number(d.noise),
                               number(d.train_ratio), std::uint64_t{d.classes}})
        add(refuse, "dataset", word);
    return fields;
}

ConfigChange compare_configs(const TrainerConfig& from, const TrainerConfig& to) {
    const auto a = config_fields(from), b = config_fields(to);
    ConfigChange change;
    // The lists only differ in length where the structure differs, which is refused first.
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
        const bool same_field = std::string_view(a[k].name) == b[k].name && a[k].layer == b[k].layer;
        if (same_field && a[k].word == b[k].word) continue;
        if (!same_field || a[k].on_change == OnChange::refuse) {
            change.refused = a[k].field();
            return change;
        }
        change.new_state = change.new_state || a[k].on_change == OnChange::new_state;
        change.restart_schedule = change.restart_schedule || a[k].on_change == OnChange::restart_schedule;
        change.new_batches = change.new_batches || a[k].on_change == OnChange::new_batches;
    }
    return change;
}

double estimated_memory(const TrainerConfig& c) {
    // Per weight: the weights, four trace copies (dW, penalty, before, update) in each of the two
    // batch buffers, the optimizer's arrays kept twice (for undoing an update), and a restore's
    // copy of all of it.
    ParamState state;
    init_state(c.optimizer, 1, state);
    double optimizer_arrays = 0.0;
    for (const StateArray& array : state_arrays) optimizer_arrays += static_cast<double>((state.*array.values).size());
    const double per_weight = 2.0 * (1.0 + 8.0 + 2.0 * optimizer_arrays);
    // Per unit and batch row (plus the probe's): five trace arrays in each batch buffer, doubled by a restore.
    constexpr double per_activation = 2.0 * 10.0;
    double weights = 0.0, units = 0.0;
    double in = static_cast<double>(c.input_size());
    for (const LayerSpec& layer : c.layers) {
        const double out = static_cast<double>(layer.units);
        weights += (in + 1.0) * out;
        units += out;
        in = out;
    }
    const double rows = static_cast<double>(c.batch_size) + 1.0;
    const double samples = c.dataset ? static_cast<double>(c.dataset->samples) : 0.0;
    const double data = samples * (static_cast<double>(c.input_size() + c.output_size()) + 4.0);
    return sizeof(double) * (per_weight * weights + per_activation * rows * units + data);
}

}  // namespace bplab
