#include "adapters.hpp"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <new>
#include <numeric>
#include <string>

#include "bplab/errors.hpp"
#include "bplab/surfaces.hpp"

namespace bplab::wasm {
namespace {

// ---- results and errors ---------------------------------------------------------------

val error_value(const std::string& code, const std::string& field, const std::string& message) {
    val error = val::object();
    error.set("code", code);
    error.set("field", field);
    error.set("message", message);
    val result = val::object();
    result.set("error", error);
    return result;
}

val problems_value(const std::vector<ConfigProblem>& problems) {
    std::string message = "invalid trainer config: ";
    val list = val::array();
    for (std::size_t i = 0; i < problems.size(); ++i) {
        const auto& p = problems[i];
        if (i > 0) message += "; ";
        message += p.message();
        val item = val::object();
        item.set("field", p.field);
        item.set("value", p.value);
        item.set("allowed", p.allowed);
        item.set("message", p.message());
        list.call<void>("push", item);
    }
    val result = error_value("invalid_config", problems.front().field, message);
    result["error"].set("problems", list);
    return result;
}

// Runs body; any exception becomes an error value instead of crossing into JS.
template <class Body>
val guarded(Body body) {
    try {
        return body();
    } catch (const LabError& e) {
        return error_value(e.code(), e.field(), e.what());
    } catch (const std::bad_alloc&) {
        return error_value("out_of_memory", "", "the engine ran out of memory");
    } catch (const std::exception& e) {
        return error_value("internal", "", std::string("engine error: ") + e.what());
    } catch (...) {
        return error_value("internal", "", "unknown engine error");
    }
}

val ok() {
    val result = val::object();
    result.set("ok", true);
    return result;
}

val float64_copy(const double* data, std::size_t n) {
    return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}

// ---- arguments --------------------------------------------------------------------------

std::string with_article(const std::string& noun) {
    const bool vowel = !noun.empty() && std::string("AEIOUaeiou").find(noun[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + noun;
}

// A JS value as a message shows it: 'text', 3, NaN, null, an array of 4, a Float32Array of 6.
std::string shown(const val& v) {
    const std::string type = v.typeOf().as<std::string>();
    if (type == "string") {
        const std::string s = v.as<std::string>();
        return "'" + (s.size() > 40 ? s.substr(0, 40) + "…" : s) + "'";
    }
    if (type == "number") return describe(v.as<double>());
    if (type == "boolean") return v.as<bool>() ? "true" : "false";
    if (v.isUndefined()) return "undefined";
    if (v.isNull()) return "null";
    if (v.isArray()) return "an array of " + std::to_string(v["length"].as<unsigned>());
    if (type != "object") return with_article(type);
    // "[object Float32Array]" names the kind of object without calling anything of its own.
    const std::string tag =
        val::global("Object")["prototype"]["toString"].call<std::string>("call", v);
    const std::string kind = tag.substr(8, tag.size() - 9);
    if (kind == "Object") return "an object";
    if (val::global("ArrayBuffer").call<bool>("isView", v))
        return with_article(kind) + " of " + std::to_string(v["length"].as<unsigned>());
    return with_article(kind);
}

double finite_arg(const val& v, const std::string& field) {
    if (!v.isNumber() || !std::isfinite(v.as<double>()))
        throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: a finite number");
    return v.as<double>();
}

std::size_t whole_arg(const val& v, const std::string& field, std::size_t lo, std::size_t hi) {
    // Called on every trace, weights and heatmaps call: the message is only built on a refusal.
    const auto allowed = [&] { return "; allowed: a whole number from " + std::to_string(lo) + " to " + std::to_string(hi); };
    if (!v.isNumber()) throw LabError("invalid_argument", field, field + " is " + shown(v) + allowed());
    const double x = v.as<double>();
    if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi) && x == std::floor(x)))
        throw LabError("out_of_range", field, field + " is " + describe(x) + allowed());
    return static_cast<std::size_t>(x);
}

bool flag_arg(const val& v, const std::string& field, bool fallback) {
    if (v.isUndefined()) return fallback;
    if (!v.isTrue() && !v.isFalse())
        throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: true or false");
    return v.isTrue();
}

template <class E, std::size_t N>
E name_arg(const val& v, const NameTable<E, N>& table, const std::string& field) {
    if (v.isString())
        if (auto e = from_name(table, v.as<std::string>())) return *e;
    throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: " + allowed_names(table));
}

// The length of a Float64Array argument, read before anything is copied so that a
// wrong array cannot grow the heap.
std::size_t float64_length(const val& v, const std::string& field) {
    if (!v.instanceof(val::global("Float64Array")))
        throw LabError("invalid_argument", field,
                       field + " is " + shown(v) + "; allowed: a Float64Array or an array of numbers");
    return v["length"].as<std::size_t>();
}

void require_length(const std::string& field, std::size_t got, std::size_t want, const std::string& why) {
    if (got != want)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(got) + " numbers; allowed: " + std::to_string(want) +
                           " (" + why + ")");
}

std::vector<double> float64_values(const val& v) {
    return emscripten::convertJSArrayToNumberVector<double>(v);
}

// A problem found by the engine's checks, reported against the argument `field`.
// Array elements report the array as the field (the message names the element).
void throw_problem(const std::vector<ConfigProblem>& problems, const std::string& field) {
    if (!problems.empty()) throw LabError("invalid_argument", field, problems.front().message());
}

// Settings objects report the setting itself ("schedule.gamma").
void throw_setting_problem(const std::vector<ConfigProblem>& problems) {
    if (!problems.empty())
        throw LabError("invalid_argument", problems.front().field, problems.front().message());
}

// ---- reading a config --------------------------------------------------------------------

// Above every count limit: what validation judges when a count could not be read.
constexpr std::size_t unreadable_count = 1000000000;

class ConfigReader {
public:
    explicit ConfigReader(std::vector<ConfigProblem>& problems) : problems_(problems) {}

    void problem(const std::string& field, const std::string& value, const std::string& allowed) {
        problems_.push_back({field, value, allowed});
    }

    // Numbers and counts that cannot be used as given are handed to validation as
    // stand-ins out of every range, so one place states what is allowed; the report
    // then shows what was given.
    const std::map<std::string, std::string>& given() const { return given_; }

    bool is_object(const val& v) const {
        return v.typeOf().as<std::string>() == "object" && !v.isNull() && !v.isArray() &&
               !val::global("ArrayBuffer").call<bool>("isView", v);
    }

    // Names fields of obj that are not in known, so a typo is not silently ignored.
    void only_known(const val& obj, const std::string& at, const std::vector<const char*>& known) {
        const val keys = val::global("Object").call<val>("keys", obj);
        const unsigned n = keys["length"].as<unsigned>();
        std::string allowed;
        for (const char* k : known) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        for (unsigned i = 0; i < n; ++i) {
            const std::string key = keys[i].as<std::string>();
            bool found = false;
            for (const char* k : known) found = found || key == k;
            if (!found) problem(at.empty() ? key : at + "." + key, "an unknown field", "the fields " + allowed);
        }
    }

    double number(const val& obj, const char* key, double fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        if (v.isNumber()) return v.as<double>();
        given_[field] = shown(v);
        return NAN;
    }

    std::size_t count(const val& obj, const char* key, std::size_t fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        const double x = v.isNumber() ? v.as<double>() : NAN;
        if (x >= 0 && x <= static_cast<double>(unreadable_count) && x == std::floor(x))
            return static_cast<std::size_t>(x);
        given_[field] = shown(v);
        return unreadable_count;
    }

    void missing_count(const std::string& field) { given_[field] = "missing"; }

    bool flag(const val& obj, const char* key, bool fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        if (!v.isTrue() && !v.isFalse()) {
            problem(field, shown(v), "true or false");
            return fallback;
        }
        return v.isTrue();
    }

    template <class E, std::size_t N>
    std::optional<E> name(const val& v, const NameTable<E, N>& table, const std::string& field) {
        if (v.isUndefined()) return std::nullopt;
        if (v.isString())
            if (auto e = from_name(table, v.as<std::string>())) return e;
        problem(field, shown(v), allowed_names(table));
        return std::nullopt;
    }

private:
    std::vector<ConfigProblem>& problems_;
    std::map<std::string, std::string> given_;
};

// One setting of an optimizer or a schedule: its JS key and the member that holds it (a
// number, a count or a flag). Each table lists every setting once, in the order the API
// documents them; reading a config, writing it back and the unknown-field check all walk it.
template <class Config>
struct Setting {
    const char* key;
    double Config::*number = nullptr;
    std::size_t Config::*count = nullptr;
    bool Config::*flag = nullptr;
};

const Setting<OptimizerConfig> optimizer_settings[] = {
    {"lr", &OptimizerConfig::lr},
    {"momentum", &OptimizerConfig::momentum},
    {"dampening", &OptimizerConfig::dampening},
    {"nesterov", nullptr, nullptr, &OptimizerConfig::nesterov},
    {"weightDecay", &OptimizerConfig::weight_decay},
    {"lrDecay", &OptimizerConfig::lr_decay},
    {"initialAccumulatorValue", &OptimizerConfig::initial_accumulator_value},
    {"alpha", &OptimizerConfig::alpha},
    {"centered", nullptr, nullptr, &OptimizerConfig::centered},
    {"beta1", &OptimizerConfig::beta1},
    {"beta2", &OptimizerConfig::beta2},
    {"amsgrad", nullptr, nullptr, &OptimizerConfig::amsgrad},
    {"eps", &OptimizerConfig::eps},
};

const Setting<ScheduleConfig> schedule_settings[] = {
    {"stepSize", nullptr, &ScheduleConfig::step_size},
    {"gamma", &ScheduleConfig::gamma},
    {"tMax", nullptr, &ScheduleConfig::t_max},
    {"etaMin", &ScheduleConfig::eta_min},
    {"factor", &ScheduleConfig::factor},
    {"patience", nullptr, &ScheduleConfig::patience},
    {"threshold", &ScheduleConfig::threshold},
    {"cooldown", nullptr, &ScheduleConfig::cooldown},
    {"minLr", &ScheduleConfig::min_lr},
    {"eps", &ScheduleConfig::eps},
};

template <class T, std::size_t N>
std::vector<const char*> setting_keys(const Setting<T> (&settings)[N]) {
    std::vector<const char*> keys{"name"};
    for (const auto& s : settings) keys.push_back(s.key);
    return keys;
}

// Every setting js gives, over the values already in `into` (the defaults); at: "optimizer".
template <class T, std::size_t N>
void read_settings(const val& js, const Setting<T> (&settings)[N], const std::string& at, ConfigReader& in, T& into) {
    for (const auto& s : settings) {
        const std::string field = at + "." + s.key;
        if (s.number) into.*s.number = in.number(js, s.key, into.*s.number, field);
        else if (s.count) into.*s.count = in.count(js, s.key, into.*s.count, field);
        else into.*s.flag = in.flag(js, s.key, into.*s.flag, field);
    }
}

template <class T, std::size_t N>
val settings_to_js(const T& from, const Setting<T> (&settings)[N], const std::string& name) {
    val out = val::object();
    out.set("name", name);
    for (const auto& s : settings) {
        if (s.number) out.set(s.key, from.*s.number);
        else if (s.count) out.set(s.key, from.*s.count);
        else out.set(s.key, from.*s.flag);
    }
    return out;
}

OptimizerConfig optimizer_from_js(const val& js, ConfigReader& in) {
    if (js.isUndefined()) return default_optimizer(OptimizerKind::sgd, 0.03);
    if (!in.is_object(js)) {
        in.problem("optimizer", shown(js), "an object such as { name: 'adam', lr: 0.01 }");
        return default_optimizer(OptimizerKind::sgd, 0.03);
    }
    in.only_known(js, "optimizer", setting_keys(optimizer_settings));
    const auto kind = in.name(js["name"], optimizer_names, "optimizer.name").value_or(OptimizerKind::sgd);
    // The named optimizer's defaults (Adagrad's eps, AdamW's weight decay…), then what js sets.
    OptimizerConfig o = default_optimizer(kind, 0.03);
    read_settings(js, optimizer_settings, "optimizer", in, o);
    return o;
}

ScheduleConfig schedule_from_js(const val& js, ConfigReader& in) {
    ScheduleConfig s;
    if (js.isUndefined()) return s;
    if (!in.is_object(js)) {
        in.problem("schedule", shown(js), "an object such as { name: 'step', stepSize: 10 }");
        return s;
    }
    in.only_known(js, "schedule", setting_keys(schedule_settings));
    s.kind = in.name(js["name"], schedule_names, "schedule.name").value_or(ScheduleKind::constant);
    if (s.kind == ScheduleKind::exponential) s.gamma = 0.95;
    read_settings(js, schedule_settings, "schedule", in, s);
    return s;
}

// A layer that cannot be read keeps its place, so later layers keep their indices.
LayerSpec layer_from_js(const val& item, const std::string& at, bool output, ConfigReader& in) {
    LayerSpec spec;
    spec.activation.kind = output ? Activation::linear : Activation::tanh;
    if (!in.is_object(item)) {
        in.problem(at, shown(item), "an object { units, activation }");
        return spec;
    }
    in.only_known(item, at, {"units", "activation", "alpha"});
    spec.units = in.count(item, "units", unreadable_count, at + ".units");
    if (item["units"].isUndefined()) in.missing_count(at + ".units");
    if (auto kind = in.name(item["activation"], activation_names, at + ".activation")) spec.activation.kind = *kind;
    spec.activation.alpha = in.number(item, "alpha", default_alpha(spec.activation.kind), at + ".alpha");
    return spec;
}

std::vector<LayerSpec> layers_from_js(const val& js, ConfigReader& in) {
    const std::string allowed =
        "an array of 1 to " + std::to_string(Limits::max_layers) + " layers { units, activation }, the output layer last";
    std::vector<LayerSpec> layers;
    if (js.isUndefined()) {
        in.problem("layers", "missing", allowed);
        return layers;
    }
    if (!js.isArray()) {
        in.problem("layers", shown(js), allowed);
        return layers;
    }
    const unsigned n = js["length"].as<unsigned>();
    if (n > Limits::max_layers) {
        in.problem("layers", std::to_string(n) + " layers", allowed);
        return layers;
    }
    for (unsigned l = 0; l < n; ++l)
        layers.push_back(layer_from_js(js[l], "layers[" + std::to_string(l) + "]", l + 1 == n, in));
    return layers;
}

void features_from_js(const val& js, TrainerConfig& c, ConfigReader& in) {
    const val features = js["features"];
    if (features.isUndefined()) return;
    const std::string allowed =
        "a list of 1 to " + std::to_string(feature_names.size()) + " of " + allowed_names(feature_names);
    if (!features.isArray() || features["length"].as<unsigned>() == 0 ||
        features["length"].as<unsigned>() > feature_names.size()) {
        in.problem("features", shown(features), allowed);
        return;
    }
    if (!js["inputs"].isUndefined())
        in.problem("inputs", shown(js["inputs"]),
                   "no inputs when features are given: the features are the network's inputs");
    const unsigned n = features["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) {
        const std::string field = "features[" + std::to_string(i) + "]";
        c.features.push_back(in.name(features[i], feature_names, field).value_or(Feature::x1));
    }
}

void dataset_from_js(const val& data, TrainerConfig& c, ConfigReader& in) {
    if (data.isUndefined()) return;
    if (!in.is_object(data)) {
        in.problem("dataset", shown(data), "an object { name, samples, noise, trainRatio, classes }");
        return;
    }
    in.only_known(data, "dataset", {"name", "samples", "noise", "trainRatio", "classes"});
    DatasetConfig d;
    if (data["name"].isUndefined()) in.problem("dataset.name", "missing", allowed_names(dataset_names));
    d.kind = in.name(data["name"], dataset_names, "dataset.name").value_or(DatasetKind::circle);
    d.samples = in.count(data, "samples", d.samples, "dataset.samples");
    d.noise = in.number(data, "noise", d.noise, "dataset.noise");
    d.train_ratio = in.number(data, "trainRatio", d.train_ratio, "dataset.trainRatio");
    d.classes = in.count(data, "classes", d.classes, "dataset.classes");
    c.dataset = d;
}

// A problem at `field` is a consequence of one at `reported` when it is the same
// field or lies inside it ("layers[1].units" inside "layers[1]").
bool inside(const std::string& field, const std::string& reported) {
    if (field.rfind(reported, 0) != 0) return false;
    return field.size() == reported.size() || field[reported.size()] == '.' || field[reported.size()] == '[';
}

bool follows_from(const ConfigProblem& p, const std::vector<ConfigProblem>& reported) {
    for (const auto& q : reported) {
        if (inside(p.field, q.field)) return true;
        for (const auto& r : p.related)
            if (inside(r, q.field)) return true;
    }
    return false;
}

}  // namespace

TrainerConfig config_from_js(const val& js, std::vector<ConfigProblem>& problems) {
    ConfigReader in(problems);
    TrainerConfig c;
    if (!in.is_object(js)) {
        in.problem("config", shown(js), "an object { layers, … }");
        return c;
    }
    in.only_known(js, "", {"seed", "inputs", "features", "layers", "loss", "optimizer", "schedule",
                           "regularization", "init", "batchSize", "shuffle", "dataset"});
    const val seed = js["seed"];
    const double seed_value = seed.isNumber() ? seed.as<double>() : NAN;
    if (seed.isUndefined()) {
        c.seed = 1;
    } else if (seed_value >= 0 && seed_value <= 9007199254740992.0 && seed_value == std::floor(seed_value)) {
        c.seed = static_cast<std::uint64_t>(seed_value);
    } else {
        in.problem("seed", shown(seed), "a whole number from 0 to 2^53 (9007199254740992)");
    }

    c.inputs = in.count(js, "inputs", 2, "inputs");
    features_from_js(js, c, in);
    c.layers = layers_from_js(js["layers"], in);
    // The loss that fits the output layer, unless one is named.
    Loss natural = Loss::mse;
    if (!c.layers.empty() && c.layers.back().activation.kind == Activation::sigmoid) natural = Loss::bce;
    if (!c.layers.empty() && c.layers.back().activation.kind == Activation::softmax) natural = Loss::cce;
    c.loss = in.name(js["loss"], loss_names, "loss").value_or(natural);
    c.optimizer = optimizer_from_js(js["optimizer"], in);
    c.schedule = schedule_from_js(js["schedule"], in);

    const val reg = js["regularization"];
    if (!reg.isUndefined()) {
        if (!in.is_object(reg)) {
            in.problem("regularization", shown(reg), "an object { kind, rate }");
        } else {
            in.only_known(reg, "regularization", {"kind", "rate"});
            c.regularization.kind = in.name(reg["kind"], penalty_names, "regularization.kind").value_or(Penalty::none);
            c.regularization.rate = in.number(reg, "rate", 0.0, "regularization.rate");
        }
    }
    c.init = in.name(js["init"], init_names, "init").value_or(Init::xavier);
    c.batch_size = in.count(js, "batchSize", 10, "batchSize");
    c.shuffle = in.flag(js, "shuffle", true, "shuffle");
    dataset_from_js(js["dataset"], c, in);

    // Validation judges the fallbacks and stand-ins reading left behind: it adds
    // only what reading has not explained, showing the values as given.
    const std::vector<ConfigProblem> read = problems;
    for (auto& p : validate(c)) {
        if (follows_from(p, read)) continue;
        if (auto g = in.given().find(p.field); g != in.given().end()) p.value = g->second;
        problems.push_back(std::move(p));
    }
    return c;
}

val config_to_js(const TrainerConfig& c) {
    val out = val::object();
    out.set("seed", static_cast<double>(c.seed));
    if (c.features.empty()) {
        out.set("inputs", c.inputs);
    } else {
        val features = val::array();
        for (Feature f : c.features) features.call<void>("push", std::string(to_name(feature_names, f)));
        out.set("features", features);
    }
    val layers = val::array();
    for (const auto& spec : c.layers) {
        val layer = val::object();
        layer.set("units", spec.units);
        layer.set("activation", std::string(to_name(activation_names, spec.activation.kind)));
        if (spec.activation.kind == Activation::leaky_relu || spec.activation.kind == Activation::elu)
            layer.set("alpha", spec.activation.alpha);
        layers.call<void>("push", layer);
    }
    out.set("layers", layers);
    out.set("loss", std::string(to_name(loss_names, c.loss)));

    out.set("optimizer", settings_to_js(c.optimizer, optimizer_settings, std::string(to_name(optimizer_names, c.optimizer.kind))));
    out.set("schedule", settings_to_js(c.schedule, schedule_settings, std::string(to_name(schedule_names, c.schedule.kind))));

    val reg = val::object();
    reg.set("kind", std::string(to_name(penalty_names, c.regularization.kind)));
    reg.set("rate", c.regularization.rate);
    out.set("regularization", reg);
    out.set("init", std::string(to_name(init_names, c.init)));
    out.set("batchSize", c.batch_size);
    out.set("shuffle", c.shuffle);
    if (c.dataset) {
        val d = val::object();
        d.set("name", std::string(to_name(dataset_names, c.dataset->kind)));
        d.set("samples", c.dataset->samples);
        d.set("noise", c.dataset->noise);
        d.set("trainRatio", c.dataset->train_ratio);
        d.set("classes", c.dataset->classes);
        out.set("dataset", d);
    }
    return out;
}

// ---- the trainer handle ------------------------------------------------------------------

Trainer& TrainerHandle::engine() const {
    if (!trainer_) throw LabError("internal", "", "the trainer handle was used before init()");
    return *trainer_;
}

std::size_t TrainerHandle::layer_arg(const val& layer) const {
    return whole_arg(layer, "layer", 0, engine().layer_count() - 1);
}

val TrainerHandle::init(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        TrainerConfig c = config_from_js(config, problems);
        if (!problems.empty()) return problems_value(problems);
        trainer_ = std::make_unique<Trainer>(std::move(c));
        return ok();
    });
}

val TrainerHandle::reconfigure(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        const TrainerConfig c = config_from_js(config, problems);
        if (!problems.empty()) return problems_value(problems);
        engine().reconfigure(c);
        return ok();
    });
}

val TrainerHandle::config() const {
    return guarded([&] { return config_to_js(engine().config()); });
}

val TrainerHandle::layer_sizes() const {
    return guarded([&] {
        std::vector<double> sizes(engine().layer_sizes().begin(), engine().layer_sizes().end());
        return val::array(sizes);
    });
}

namespace {

std::string weights_shape(const Trainer& t, std::size_t l) {
    return "layer " + std::to_string(l) + " has " + std::to_string(t.layer_sizes()[l + 1]) + " units × " +
           std::to_string(t.layer_sizes()[l]) + " inputs, W[j][i] row-major";
}

}  // namespace

val TrainerHandle::get_weights(val layer) const {
    return guarded([&] {
        const auto& w = engine().layer(layer_arg(layer)).weights;
        return float64_copy(w.data(), w.size());
    });
}

val TrainerHandle::set_weights(val layer, val values) {
    return guarded([&] {
        const std::size_t l = layer_arg(layer);
        const auto& sizes = engine().layer_sizes();
        require_length("weights", float64_length(values, "weights"), sizes[l + 1] * sizes[l], weights_shape(engine(), l));
        const auto w = float64_values(values);
        engine().set_weights(l, w.data(), w.size());
        return ok();
    });
}

val TrainerHandle::get_biases(val layer) const {
    return guarded([&] {
        const auto& b = engine().layer(layer_arg(layer)).biases;
        return float64_copy(b.data(), b.size());
    });
}

val TrainerHandle::set_biases(val layer, val values) {
    return guarded([&] {
        const std::size_t l = layer_arg(layer);
        const std::size_t units = engine().layer_sizes()[l + 1];
        require_length("biases", float64_length(values, "biases"), units,
                       "layer " + std::to_string(l) + " has " + std::to_string(units) + " units");
        const auto b = float64_values(values);
        engine().set_biases(l, b.data(), b.size());
        return ok();
    });
}

val TrainerHandle::set_data(val x, val y, val n) {
    return guarded([&] {
        const std::size_t count = whole_arg(n, "n", 1, Limits::max_samples);
        const auto& c = engine().config();
        const std::string points = "n = " + std::to_string(count) + " points × ";
        require_length("x", float64_length(x, "x"), count * c.point_size(),
                       points + std::to_string(c.point_size()) + (c.features.empty() ? " inputs" : " coordinates (x1, x2)"));
        require_length("y", float64_length(y, "y"), count * c.output_size(),
                       points + std::to_string(c.output_size()) + " outputs");
        const auto xs = float64_values(x);
        const auto ys = float64_values(y);
        engine().set_data(xs.data(), ys.data(), count);
        return ok();
    });
}

val TrainerHandle::data() const {
    return guarded([&] {
        val out = val::object();
        for (auto [name, split] : {std::pair{"train", &engine().train_split()},
                                   std::pair{"test", &engine().test_split()}}) {
            val part = val::object();
            part.set("points", float64_copy(split->points.data(), split->points.size()));
            part.set("labels", float64_copy(split->labels.data(), split->labels.size()));
            part.set("targets", float64_copy(split->targets.data(), split->targets.size()));
            part.set("size", split->size());
            out.set(name, part);
        }
        const auto& c = engine().config();
        out.set("pointSize", c.point_size());
        out.set("classification", c.classification());
        out.set("classes", c.classification() ? (c.output_size() == 1 ? 2 : c.output_size()) : 0);
        return out;
    });
}

val TrainerHandle::predict(val x, val n) {
    return guarded([&] {
        // n × outputs numbers come back: a wide output layer takes fewer points per call.
        const std::size_t count =
            whole_arg(n, "n", 0, std::min(Limits::max_points, Limits::max_results / engine().config().output_size()));
        const std::size_t point = engine().config().point_size();
        require_length("x", float64_length(x, "x"), count * point,
                       "n = " + std::to_string(count) + " points × " + std::to_string(point));
        const auto xs = float64_values(x);
        const auto out = engine().predict(xs.data(), count);
        return float64_copy(out.data(), out.size());
    });
}

namespace {

val diverged_error(const Trainer& t) {
    const Cursor c = t.cursor();
    val error = error_value("diverged", "optimizer.lr",
                            "training diverged at epoch " + std::to_string(c.epoch) + ", batch " +
                                std::to_string(c.batch) +
                                ": the loss or a weight became infinite or NaN with learning rate " +
                                describe(t.learning_rate()) +
                                ". The step was undone; allowed: a smaller optimizer.lr, or reset the network.");
    // For a page that words the message itself.
    val details = val::object();
    details.set("lr", t.learning_rate());
    details.set("epoch", c.epoch);
    details.set("batch", c.batch);
    error["error"].set("details", details);
    return error;
}

}  // namespace

val TrainerHandle::step_phase() {
    return guarded([&] {
        const PhaseResult r = engine().step_phase();
        if (r.diverged) return diverged_error(*trainer_);
        val out = val::object();
        out.set("phase", std::string(to_name(phase_names, r.phase)));
        out.set("layer", r.layer);
        return out;
    });
}

val TrainerHandle::train_step() {
    return guarded([&] {
        const BatchResult r = engine().train_step();
        if (r.diverged) return diverged_error(*trainer_);
        val out = val::object();
        out.set("loss", r.loss);
        out.set("epoch", r.epoch);
        out.set("batch", r.batch);
        return out;
    });
}

val TrainerHandle::train_epoch() {
    return guarded([&] {
        const EpochResult r = engine().train_epoch();
        if (r.diverged) return diverged_error(*trainer_);
        val out = val::object();
        out.set("loss", r.loss);
        out.set("epoch", r.epoch);
        out.set("lr", r.lr);
        return out;
    });
}

val TrainerHandle::cursor() const {
    return guarded([&] {
        const Cursor c = engine().cursor();
        val out = val::object();
        out.set("phase", std::string(to_name(phase_names, c.phase)));
        out.set("layer", c.layer);
        out.set("epoch", c.epoch);
        out.set("batch", c.batch);
        out.set("batchesPerEpoch", c.batches_per_epoch);
        out.set("lr", engine().learning_rate());
        return out;
    });
}

namespace {

val param_state_value(const OptimizerConfig& config, double lr, const ParamState& s, std::size_t n) {
    val out = val::object();
    out.set("step", static_cast<double>(s.step));
    auto put = [&](const char* name, const std::vector<double>& v) {
        if (!v.empty()) out.set(name, float64_copy(v.data(), v.size()));
    };
    put("momentumBuffer", s.momentum_buffer);
    put("sum", s.sum);
    put("squareAvg", s.square_avg);
    put("gradAvg", s.grad_avg);
    put("expAvg", s.exp_avg);
    put("expAvgSq", s.exp_avg_sq);
    put("maxExpAvgSq", s.max_exp_avg_sq);
    put("effectiveLr", effective_rates(config, lr, s, n));
    const CorrectedMoments corrected = corrected_moments(config, s);
    put("mHat", corrected.m_hat);
    put("vHat", corrected.v_hat);
    return out;
}

}  // namespace

namespace {

// The probe's own row of layer l's trace, or null.
val probe_trace(const Trainer& t, std::size_t l) {
    const auto row = t.probe_row();
    if (!row) return val::null();
    const LayerTrace& tr = t.trace(l);
    const std::size_t units = t.layer_sizes()[l + 1], in = t.layer_sizes()[l], r = *row;
    val out = val::object();
    out.set("index", static_cast<double>(*t.probe()));
    out.set("input", float64_copy(t.layer_input(l) + r * in, in));
    out.set("z", float64_copy(tr.pre_activation.data() + r * units, units));
    out.set("a", float64_copy(tr.activation.data() + r * units, units));
    out.set("upstream", float64_copy(tr.upstream_grad.data() + r * units, units));
    out.set("local", float64_copy(tr.local_grad.data() + r * units, units));
    out.set("downstream", float64_copy(tr.downstream_grad.data() + r * units, units));
    const auto dw = t.sample_weight_grad(l, r);
    out.set("dW", float64_copy(dw.data(), dw.size()));
    out.set("db", float64_copy(tr.downstream_grad.data() + r * units, units));  // dl/db_j = dl/dz_j
    if (l + 1 == t.layer_count() && tr.forward_done) out.set("loss", t.sample_loss_of(r));
    return out;
}

}  // namespace

val TrainerHandle::trace(val layer) const {
    return guarded([&] {
        const std::size_t l = layer_arg(layer);
        const LayerTrace& t = engine().trace(l);
        const std::size_t rows = engine().batch_rows();
        const std::size_t units = engine().layer_sizes()[l + 1], in = engine().layer_sizes()[l];
        val out = val::object();
        out.set("batch", rows);
        out.set("units", units);
        out.set("inputs", in);
        val step = val::object();  // the batch these numbers belong to (the cursor may have moved on)
        step.set("epoch", engine().state().work.epoch);
        step.set("batch", engine().state().work.batch);
        out.set("step", step);
        out.set("forwardDone", t.forward_done);
        out.set("backwardDone", t.backward_done);
        out.set("updateDone", t.update_done);
        const auto& idx = engine().batch_indices();
        out.set("samples", val::array(std::vector<double>(idx.begin(), idx.end())));
        out.set("input", float64_copy(engine().layer_input(l), rows * in));
        out.set("z", float64_copy(t.pre_activation.data(), rows * units));
        out.set("a", float64_copy(t.activation.data(), rows * units));
        out.set("upstream", float64_copy(t.upstream_grad.data(), rows * units));
        out.set("local", float64_copy(t.local_grad.data(), rows * units));
        out.set("downstream", float64_copy(t.downstream_grad.data(), rows * units));
        out.set("dW", float64_copy(t.weight_grad.data(), t.weight_grad.size()));
        out.set("db", float64_copy(t.bias_grad.data(), t.bias_grad.size()));
        out.set("penalty", float64_copy(t.penalty_grad.data(), t.penalty_grad.size()));
        out.set("weightsBefore", float64_copy(t.weights_before.data(), t.weights_before.size()));
        out.set("biasesBefore", float64_copy(t.biases_before.data(), t.biases_before.size()));
        out.set("update", float64_copy(t.weight_update.data(), t.weight_update.size()));
        out.set("biasUpdate", float64_copy(t.bias_update.data(), t.bias_update.size()));
        const auto& opt = engine().optimizer_state(l);
        const auto& oc = engine().config().optimizer;
        const double lr = engine().update_learning_rate();  // the schedule may have moved on since
        val state = val::object();
        state.set("lr", lr);
        state.set("weights", param_state_value(oc, lr, opt.weights, units * in));
        state.set("biases", param_state_value(oc, lr, opt.biases, units));
        out.set("state", state);
        if (l + 1 == engine().layer_count()) out.set("loss", engine().loss_done() ? val(engine().batch_loss()) : val::null());
        out.set("probe", probe_trace(engine(), l));
        return out;
    });
}

val TrainerHandle::evaluate() {
    return guarded([&] {
        const Evaluation e = engine().evaluate();
        auto number_or_null = [](double x) { return std::isnan(x) ? val::null() : val(x); };
        val out = val::object();
        out.set("trainLoss", number_or_null(e.train_loss));
        out.set("testLoss", number_or_null(e.test_loss));
        out.set("trainAccuracy", number_or_null(e.train_accuracy));
        out.set("testAccuracy", number_or_null(e.test_accuracy));
        return out;
    });
}

namespace {

struct Grid {
    std::size_t res;
    double x_min, x_max, y_min, y_max;
};

// maps × res² numbers come back: a large network gets a coarser grid, so one call stays
// within Limits::max_results.
Grid grid_args(std::size_t maps, const val& res, const val& x_min, const val& x_max, const val& y_min,
               const val& y_max) {
    const auto finest = static_cast<std::size_t>(std::sqrt(static_cast<double>(Limits::max_results / maps)));
    return {whole_arg(res, "res", 1, std::min(Limits::max_grid, finest)), finite_arg(x_min, "xMin"),
            finite_arg(x_max, "xMax"), finite_arg(y_min, "yMin"), finite_arg(y_max, "yMax")};
}

}  // namespace

val TrainerHandle::heatmaps(val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        const auto& sizes = engine().layer_sizes();
        const std::size_t neurons = std::accumulate(sizes.begin() + 1, sizes.end(), std::size_t{0});
        const Grid g = grid_args(neurons, res, x_min, x_max, y_min, y_max);
        const auto& maps = engine().heatmaps(g.res, g.x_min, g.x_max, g.y_min, g.y_max);
        return val(emscripten::typed_memory_view(maps.size(), maps.data()));
    });
}

val TrainerHandle::input_heatmaps(val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        const Grid g = grid_args(engine().layer_sizes().front(), res, x_min, x_max, y_min, y_max);
        const auto& maps = engine().input_heatmaps(g.res, g.x_min, g.x_max, g.y_min, g.y_max);
        return val(emscripten::typed_memory_view(maps.size(), maps.data()));
    });
}

val TrainerHandle::snapshot() const {
    return guarded([&] {
        const auto bytes = engine().snapshot();
        return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    });
}

val TrainerHandle::restore(val bytes) {
    return guarded([&] {
        if (!bytes.instanceof(val::global("Uint8Array")))
            throw LabError("bad_snapshot", "snapshot",
                           "snapshot is " + shown(bytes) + "; allowed: the Uint8Array that snapshot() returned");
        // A snapshot is smaller than the trainer's whole memory; larger bytes are not one (and are
        // refused before they are copied into the engine).
        const double n = bytes["length"].as<double>();
        if (n > estimated_memory(engine().config()))
            throw LabError("bad_snapshot", "snapshot",
                           "snapshot has " + describe(n) + " bytes: not a snapshot of this trainer");
        const auto data = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
        engine().restore(data.data(), data.size());
        return ok();
    });
}

val TrainerHandle::gradient_sizes() const {
    return guarded([&] {
        const auto sizes = engine().gradient_sizes();
        return float64_copy(sizes.data(), sizes.size());
    });
}

val TrainerHandle::set_probe(val index) {
    return guarded([&] {
        if (index.isNull() || index.isUndefined()) {
            engine().set_probe(std::nullopt);
            return ok();
        }
        const std::size_t n = engine().train_split().size();
        if (n == 0) throw LabError("no_data", "index", "index: there is no training data to take a probe sample from");
        engine().set_probe(whole_arg(index, "index", 0, n - 1));
        return ok();
    });
}

val TrainerHandle::probe() const {
    return guarded([&] {
        const auto p = engine().probe();
        val out = val::object();
        out.set("index", p ? val(static_cast<double>(*p)) : val::null());
        return out;
    });
}

val TrainerHandle::paths(val layer, val to, val from, val sample, val limit) const {
    return guarded([&] {
        const Trainer& t = engine();
        const std::size_t l = layer_arg(layer);
        const std::size_t j = whole_arg(to, "to", 0, t.layer_sizes()[l + 1] - 1);
        const std::size_t i = whole_arg(from, "from", 0, t.layer_sizes()[l] - 1);
        // undefined: the probe if there is one, else the batch mean; 'probe', 'mean', or a batch row.
        std::optional<std::size_t> row;
        std::string which;
        if (sample.isUndefined()) {
            which = t.probe_row() ? "probe" : "mean";
        } else if (sample.isNumber()) {
            row = whole_arg(sample, "sample", 0, t.batch_rows() == 0 ? 0 : t.batch_rows() - 1);
            which = "row";
        } else if (sample.isString()) {
            which = sample.as<std::string>();
        }
        if (which != "probe" && which != "mean" && which != "row")
            throw LabError("invalid_argument", "sample",
                           "sample is " + shown(sample) + "; allowed: 'probe', 'mean' or a batch row number");
        if (which == "probe") {
            if (!t.probe_row())
                throw LabError("invalid_argument", "sample",
                               "sample is 'probe' but no probe is set (setProbe); allowed: 'mean' or a batch row");
            row = t.probe_row();
        }
        const std::size_t n = limit.isUndefined() ? 64 : whole_arg(limit, "limit", 1, 4096);
        const PathDecomposition d = t.chain_paths(l, j, i, row, n);
        val out = val::object();
        out.set("layer", l);
        out.set("to", j);
        out.set("from", i);
        if (which == "row") out.set("sample", *row);
        else out.set("sample", which);
        out.set("count", static_cast<double>(d.count));
        out.set("sum", d.sum);
        out.set("listedSum", d.listed_sum);
        val list = val::array();
        for (const ChainPath& p : d.paths) {
            val item = val::object();
            item.set("units", val::array(std::vector<double>(p.units.begin(), p.units.end())));
            item.set("product", p.product);
            if (!p.factors.empty()) item.set("factors", float64_copy(p.factors.data(), p.factors.size()));
            list.call<void>("push", item);
        }
        out.set("paths", list);
        return out;
    });
}

// ---- lab-level calls ------------------------------------------------------------------

namespace {

template <class E, std::size_t N>
val name_list(const NameTable<E, N>& table) {
    val out = val::array();
    for (const auto& entry : table) out.call<void>("push", std::string(entry.first));
    return out;
}

// A Float64Array argument of 1 to max_values finite numbers.
std::vector<double> values_arg(const val& v, const std::string& field) {
    const std::size_t n = float64_length(v, field);
    if (n < 1 || n > Limits::max_values)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(n) + " numbers; allowed: 1 to " +
                           std::to_string(Limits::max_values));
    auto x = float64_values(v);
    require_finite(x.data(), x.size(), field);
    return x;
}

}  // namespace

val engine_info() {
    val out = val::object();
    out.set("version", std::string(BPLAB_VERSION));
    out.set("heapUsed", static_cast<double>(mallinfo().uordblks));
    return out;
}

val names() {
    val out = val::object();
    out.set("activations", name_list(activation_names));
    out.set("losses", name_list(loss_names));
    out.set("optimizers", name_list(optimizer_names));
    out.set("schedules", name_list(schedule_names));
    out.set("regularizations", name_list(penalty_names));
    out.set("inits", name_list(init_names));
    out.set("datasets", name_list(dataset_names));
    out.set("features", name_list(feature_names));
    out.set("phases", name_list(phase_names));
    out.set("surfaces", name_list(surface_names));
    return out;
}

val limits() {
    val out = val::object();
    out.set("layers", Limits::max_layers);
    out.set("units", Limits::max_units);
    out.set("inputs", Limits::max_inputs);
    out.set("samples", Limits::max_samples);
    out.set("batchSize", Limits::max_batch);
    out.set("gridRes", Limits::max_grid);
    out.set("points", Limits::max_points);
    out.set("results", Limits::max_results);
    out.set("values", Limits::max_values);
    out.set("lr", Limits::max_lr);
    out.set("surfaceSteps", Limits::max_surface_steps);
    out.set("epochs", Limits::max_epochs);
    return out;
}

val resolve_config(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        const TrainerConfig c = config_from_js(config, problems);
        if (!problems.empty()) return problems_value(problems);
        val out = val::object();
        out.set("config", config_to_js(c));
        return out;
    });
}

val activation_values(val name, val z, val alpha) {
    return guarded([&] {
        std::string allowed;
        for (const auto& [n, kind] : activation_names)
            if (kind != Activation::softmax) allowed += (allowed.empty() ? "'" : ", '") + std::string(n) + "'";
        std::optional<Activation> kind;
        if (name.isString()) kind = from_name(activation_names, name.as<std::string>());
        if (!kind)
            throw LabError("invalid_argument", "name", "name is " + shown(name) + "; allowed: " + allowed);
        if (*kind == Activation::softmax)
            throw LabError("invalid_argument", "name",
                           "name is 'softmax', which works on a whole row: use lab.softmax(scores); allowed: " + allowed);
        const ActivationSpec f{*kind, alpha.isUndefined() ? default_alpha(*kind) : finite_arg(alpha, "alpha")};
        throw_problem(validate_alpha(f, "alpha"), "alpha");
        const auto zs = values_arg(z, "z");
        std::vector<double> value(zs.size()), derivative(zs.size());
        for (std::size_t i = 0; i < zs.size(); ++i) {
            value[i] = activate(f, zs[i]);
            derivative[i] = local_gradient(f, zs[i], value[i]);
        }
        val out = val::object();
        out.set("value", float64_copy(value.data(), value.size()));
        out.set("derivative", float64_copy(derivative.data(), derivative.size()));
        out.set("alpha", f.alpha);
        return out;
    });
}

val softmax_values(val scores) {
    return guarded([&] {
        const auto z = values_arg(scores, "scores");
        std::vector<double> p(z.size());
        softmax_row(z.data(), p.data(), z.size());
        return float64_copy(p.data(), p.size());
    });
}

namespace {

// Outputs given as probabilities become the logits training computes the loss from:
// z = log(p / (1 - p)) for a sigmoid output; z = log p for softmax (equal up to a constant,
// which softmax ignores).
void logits_from_probabilities(Loss loss, const std::vector<double>& p, std::size_t k, std::vector<double>& z) {
    for (std::size_t i = 0; i < p.size(); ++i) {
        const bool ok = loss == Loss::bce ? p[i] > 0.0 && p[i] < 1.0 : p[i] > 0.0 && p[i] <= 1.0;
        if (!ok)
            throw LabError("invalid_argument", "outputs",
                           "outputs[" + std::to_string(i) + "] is " + describe(p[i]) + "; allowed: " +
                               (loss == Loss::bce ? "probabilities above 0, below 1"
                                                  : "probabilities above 0, at most 1") +
                               " (or logits, with { logits: true })");
        z[i] = loss == Loss::bce ? std::log(p[i]) - std::log1p(-p[i]) : std::log(p[i]);
    }
    if (loss != Loss::cce) return;
    for (std::size_t r = 0; r < p.size() / k; ++r) {
        double sum = 0.0;
        for (std::size_t i = 0; i < k; ++i) sum += p[r * k + i];
        if (std::abs(sum - 1.0) > 1e-9)
            throw LabError("invalid_argument", "outputs",
                           "outputs of sample " + std::to_string(r) + " sum to " + describe(sum) +
                               "; allowed: probabilities summing to 1 (or logits, with { logits: true })");
    }
}

}  // namespace

val loss_values(val name, val outputs, val targets, val logits, val units) {
    return guarded([&] {
        const Loss loss = name_arg(name, loss_names, "name");
        const bool from_logits = flag_arg(logits, "logits", false);
        if (from_logits && loss == Loss::mse)
            throw LabError("invalid_argument", "logits",
                           "logits is true with 'mse'; allowed: false, since 'mse' compares the outputs "
                           "themselves (logits apply to 'bce' and 'cce')");
        const auto out = values_arg(outputs, "outputs");
        const std::size_t k = units.isUndefined() ? (loss == Loss::cce ? out.size() : 1)
                                                  : whole_arg(units, "units", 1, Limits::max_units);
        if (out.size() % k != 0)
            throw LabError("invalid_argument", "outputs",
                           "outputs has " + std::to_string(out.size()) + " numbers; allowed: a multiple of units = " +
                               std::to_string(k) + " (samples × units, row-major)");
        require_length("targets", float64_length(targets, "targets"), out.size(),
                       "one target per output, samples × units");
        const auto y = float64_values(targets);
        const std::size_t n = out.size() / k;
        throw_problem(validate_targets(loss, y.data(), n, k, "targets"), "targets");

        // Training's conventions: mse compares activations; bce and cce work from the logits.
        const ActivationSpec spec{loss == Loss::bce   ? Activation::sigmoid
                                  : loss == Loss::cce ? Activation::softmax
                                                      : Activation::linear};
        std::vector<double> z = out, a = out;
        if (loss != Loss::mse && from_logits) activate_rows(spec, z.data(), a.data(), n, k);
        if (loss != Loss::mse && !from_logits) logits_from_probabilities(loss, out, k, z);

        std::vector<double> per_sample(n), upstream(out.size()), local(out.size()), downstream(out.size());
        double sum = 0.0;
        for (std::size_t r = 0; r < n; ++r) {
            const std::size_t o = r * k;
            per_sample[r] = sample_loss(loss, &z[o], &a[o], &y[o], k);
            sum += per_sample[r];
            output_gradients(loss, spec, &z[o], &a[o], &y[o], k, &upstream[o], &local[o], &downstream[o]);
        }
        const auto& gradient = from_logits ? downstream : upstream;
        val result = val::object();
        result.set("loss", sum / static_cast<double>(n));
        result.set("perSample", float64_copy(per_sample.data(), n));
        result.set("gradient", float64_copy(gradient.data(), gradient.size()));
        return result;
    });
}

// ---- the optimizer race: 2-D surfaces --------------------------------------------------------

namespace {

val pair_value(double x, double y) {
    val out = val::array();
    out.call<void>("push", x);
    out.call<void>("push", y);
    return out;
}

OptimizerConfig race_optimizer(const val& optimizer) {
    std::vector<ConfigProblem> problems;
    ConfigReader in(problems);
    if (optimizer.isUndefined())
        throw LabError("invalid_argument", "optimizer",
                       "optimizer is missing; allowed: an object such as { name: 'adam', lr: 0.1 }");
    OptimizerConfig o = optimizer_from_js(optimizer, in);
    throw_setting_problem(problems);  // SurfaceDescent checks the values themselves
    return o;
}

}  // namespace

val surface_view_value(val name) {
    return guarded([&] {
        const SurfaceView v = surface_view(name_arg(name, surface_names, "name"));
        val out = val::object();
        out.set("xMin", v.x_min);
        out.set("xMax", v.x_max);
        out.set("yMin", v.y_min);
        out.set("yMax", v.y_max);
        out.set("start", pair_value(v.start_x, v.start_y));
        out.set("minimum", pair_value(v.special_x, v.special_y));
        return out;
    });
}

val surface_grid_values(val name, val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        const SurfaceKind kind = name_arg(name, surface_names, "name");
        const std::size_t r = whole_arg(res, "res", 1, Limits::max_grid);
        const double x0 = finite_arg(x_min, "xMin"), x1 = finite_arg(x_max, "xMax");
        const double y0 = finite_arg(y_min, "yMin"), y1 = finite_arg(y_max, "yMax");
        if (!(x0 < x1)) throw LabError("invalid_argument", "xMin", "xMin is " + describe(x0) + "; allowed: below xMax (" + describe(x1) + ")");
        if (!(y0 < y1)) throw LabError("invalid_argument", "yMin", "yMin is " + describe(y0) + "; allowed: below yMax (" + describe(y1) + ")");
        std::vector<double> grid;
        surface_grid(kind, r, x0, x1, y0, y1, grid);
        return float64_copy(grid.data(), grid.size());
    });
}

val descend_surface_values(val name, val optimizer, val start, val steps) {
    return guarded([&] {
        const SurfaceKind kind = name_arg(name, surface_names, "name");
        const OptimizerConfig o = race_optimizer(optimizer);
        if (!start.isArray() || start["length"].as<unsigned>() != 2)
            throw LabError("invalid_argument", "start", "start is " + shown(start) + "; allowed: a point [x, y]");
        const double x0 = finite_arg(start[0], "start[0]"), y0 = finite_arg(start[1], "start[1]");
        const std::size_t n = whole_arg(steps, "steps", 0, Limits::max_surface_steps);
        const std::vector<SurfaceStep> path = descend_surface(kind, o, x0, y0, n);

        std::vector<double> xs, ys, values, gx, gy;
        val states = val::array();
        for (const SurfaceStep& p : path) {
            xs.push_back(p.x);
            ys.push_back(p.y);
            values.push_back(p.value);
            gx.push_back(p.grad_x);
            gy.push_back(p.grad_y);
            states.call<void>("push", param_state_value(o, o.lr, p.state, 2));
        }
        val out = val::object();
        out.set("x", float64_copy(xs.data(), xs.size()));
        out.set("y", float64_copy(ys.data(), ys.size()));
        out.set("value", float64_copy(values.data(), values.size()));
        out.set("gradX", float64_copy(gx.data(), gx.size()));
        out.set("gradY", float64_copy(gy.data(), gy.size()));
        out.set("states", states);
        out.set("diverged", path.back().diverged);
        return out;
    });
}

// ---- learning-rate schedules ------------------------------------------------------------------

val schedule_rates(val schedule, val lr, val epochs, val losses) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        ConfigReader in(problems);
        if (schedule.isUndefined())
            throw LabError("invalid_argument", "schedule",
                           "schedule is missing; allowed: an object such as { name: 'step', stepSize: 10 }");
        const ScheduleConfig config = schedule_from_js(schedule, in);
        const double base_lr = finite_arg(lr, "lr");
        for (auto& p : validate_schedule(config, base_lr, "lr"))
            if (!follows_from(p, problems)) problems.push_back(std::move(p));
        throw_setting_problem(problems);
        const std::size_t n = whole_arg(epochs, "epochs", 1, Limits::max_epochs);
        std::vector<double> loss;
        if (config.kind == ScheduleKind::plateau || !losses.isUndefined()) {
            require_length("losses", float64_length(losses, "losses"), n,
                           "one training loss per epoch (ReduceLROnPlateau reads them)");
            loss = float64_values(losses);
            require_finite(loss.data(), loss.size(), "losses");
        }
        // rates[e]: the rate epoch e trains with; the schedule steps after each epoch's loss.
        std::vector<double> rates{base_lr};
        std::vector<double> best, bad;
        ScheduleState state = start_schedule(base_lr);
        for (std::size_t e = 0; e < n; ++e) {
            step_schedule(config, base_lr, loss.empty() ? 0.0 : loss[e], state);
            rates.push_back(state.lr);
            best.push_back(state.best);
            bad.push_back(static_cast<double>(state.num_bad_epochs));
        }
        val out = val::object();
        out.set("lr", float64_copy(rates.data(), rates.size()));
        if (config.kind == ScheduleKind::plateau) {
            out.set("best", float64_copy(best.data(), best.size()));
            out.set("badEpochs", float64_copy(bad.data(), bad.size()));
        }
        return out;
    });
}

}  // namespace bplab::wasm
