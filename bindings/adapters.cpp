#include "adapters.hpp"

#include <malloc.h>

#include <cmath>
#include <initializer_list>
#include <new>
#include <string>

#include "bplab/errors.hpp"

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

std::size_t index_arg(double value, const char* field) {
    if (!std::isfinite(value) || value < 0 || value != std::floor(value) || value > 1e9)
        throw LabError("out_of_range", field,
                       std::string(field) + " is " + describe(value) + "; allowed: a whole number from 0");
    return static_cast<std::size_t>(value);
}

std::vector<double> numbers_arg(const val& values, const char* field) {
    if (values.isUndefined() || values.isNull() || !values["length"].isNumber())
        throw LabError("invalid_argument", field,
                       std::string(field) + " must be an array or a Float64Array of numbers");
    return emscripten::convertJSArrayToNumberVector<double>(values);
}

// ---- reading a config --------------------------------------------------------------------

class ConfigReader {
public:
    explicit ConfigReader(std::vector<ConfigProblem>& problems) : problems_(problems) {}

    void problem(const std::string& field, const std::string& value, const std::string& allowed) {
        problems_.push_back({field, value, allowed});
    }

    static std::string shown(const val& v) {
        const std::string type = v.typeOf().as<std::string>();
        if (type == "string") return "'" + v.as<std::string>() + "'";
        if (type == "number") return describe(v.as<double>());
        if (type == "boolean") return v.as<bool>() ? "true" : "false";
        if (v.isNull()) return "null";
        if (v.isArray()) return "an array";
        return "a " + type;
    }

    bool is_object(const val& v) const {
        return v.typeOf().as<std::string>() == "object" && !v.isNull() && !v.isArray();
    }

    // Names fields of obj that are not in known, so a typo is not silently ignored.
    void only_known(const val& obj, const std::string& at, std::initializer_list<const char*> known) {
        const val keys = val::global("Object").call<val>("keys", obj);
        const unsigned n = keys["length"].as<unsigned>();
        std::string allowed;
        for (const char* k : known) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        for (unsigned i = 0; i < n; ++i) {
            const std::string key = keys[i].as<std::string>();
            bool found = false;
            for (const char* k : known) found = found || key == k;
            if (!found) problem(at.empty() ? key : at + "." + key, "an unknown field", allowed);
        }
    }

    double number(const val& obj, const char* key, double fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        if (!v.isNumber()) {
            problem(field, shown(v), "a number");
            return fallback;
        }
        return v.as<double>();
    }

    // Whole numbers; huge values saturate so validation reports them with the limits.
    std::size_t count(const val& obj, const char* key, std::size_t fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        const double x = v.isNumber() ? v.as<double>() : NAN;
        if (!std::isfinite(x) || x < 0 || x != std::floor(x)) {
            problem(field, shown(v), "a whole number from 0");
            return fallback;
        }
        return x > 1e12 ? static_cast<std::size_t>(1e12) : static_cast<std::size_t>(x);
    }

    bool flag(const val& obj, const char* key, bool fallback, const std::string& field) {
        const val v = obj[key];
        if (v.isUndefined()) return fallback;
        if (v.typeOf().as<std::string>() != "boolean") {
            problem(field, shown(v), "true or false");
            return fallback;
        }
        return v.as<bool>();
    }

    template <class E, std::size_t N>
    E name(const val& v, const NameTable<E, N>& table, E fallback, const std::string& field) {
        if (v.isUndefined()) return fallback;
        if (!v.isString()) {
            problem(field, shown(v), allowed_names(table));
            return fallback;
        }
        if (auto e = from_name(table, v.as<std::string>())) return *e;
        problem(field, shown(v), allowed_names(table));
        return fallback;
    }

private:
    std::vector<ConfigProblem>& problems_;
};

OptimizerConfig optimizer_from_js(const val& js, ConfigReader& in) {
    if (js.isUndefined()) return default_optimizer(OptimizerKind::sgd, 0.03);
    if (!in.is_object(js)) {
        in.problem("optimizer", ConfigReader::shown(js), "an object such as { name: 'adam', lr: 0.01 }");
        return default_optimizer(OptimizerKind::sgd, 0.03);
    }
    in.only_known(js, "optimizer",
                  {"name", "lr", "momentum", "dampening", "nesterov", "weightDecay", "lrDecay",
                   "initialAccumulatorValue", "alpha", "centered", "beta1", "beta2", "amsgrad", "eps"});
    const auto kind = in.name(js["name"], optimizer_names, OptimizerKind::sgd, "optimizer.name");
    OptimizerConfig o = default_optimizer(kind, in.number(js, "lr", 0.03, "optimizer.lr"));
    o.momentum = in.number(js, "momentum", o.momentum, "optimizer.momentum");
    o.dampening = in.number(js, "dampening", o.dampening, "optimizer.dampening");
    o.nesterov = in.flag(js, "nesterov", o.nesterov, "optimizer.nesterov");
    o.weight_decay = in.number(js, "weightDecay", o.weight_decay, "optimizer.weightDecay");
    o.lr_decay = in.number(js, "lrDecay", o.lr_decay, "optimizer.lrDecay");
    o.initial_accumulator_value = in.number(js, "initialAccumulatorValue", o.initial_accumulator_value,
                                            "optimizer.initialAccumulatorValue");
    o.alpha = in.number(js, "alpha", o.alpha, "optimizer.alpha");
    o.centered = in.flag(js, "centered", o.centered, "optimizer.centered");
    o.beta1 = in.number(js, "beta1", o.beta1, "optimizer.beta1");
    o.beta2 = in.number(js, "beta2", o.beta2, "optimizer.beta2");
    o.amsgrad = in.flag(js, "amsgrad", o.amsgrad, "optimizer.amsgrad");
    o.eps = in.number(js, "eps", o.eps, "optimizer.eps");
    return o;
}

ScheduleConfig schedule_from_js(const val& js, ConfigReader& in) {
    ScheduleConfig s;
    if (js.isUndefined()) return s;
    if (!in.is_object(js)) {
        in.problem("schedule", ConfigReader::shown(js), "an object such as { name: 'step', stepSize: 10 }");
        return s;
    }
    in.only_known(js, "schedule",
                  {"name", "stepSize", "gamma", "tMax", "etaMin", "factor", "patience", "threshold",
                   "cooldown", "minLr"});
    s.kind = in.name(js["name"], schedule_names, ScheduleKind::constant, "schedule.name");
    if (s.kind == ScheduleKind::exponential) s.gamma = 0.95;
    s.step_size = in.count(js, "stepSize", s.step_size, "schedule.stepSize");
    s.gamma = in.number(js, "gamma", s.gamma, "schedule.gamma");
    s.t_max = in.count(js, "tMax", s.t_max, "schedule.tMax");
    s.eta_min = in.number(js, "etaMin", s.eta_min, "schedule.etaMin");
    s.factor = in.number(js, "factor", s.factor, "schedule.factor");
    s.patience = in.count(js, "patience", s.patience, "schedule.patience");
    s.threshold = in.number(js, "threshold", s.threshold, "schedule.threshold");
    s.cooldown = in.count(js, "cooldown", s.cooldown, "schedule.cooldown");
    s.min_lr = in.number(js, "minLr", s.min_lr, "schedule.minLr");
    return s;
}

std::vector<LayerSpec> layers_from_js(const val& js, ConfigReader& in) {
    std::vector<LayerSpec> layers;
    if (js.isUndefined()) {
        in.problem("layers", "missing", "an array of { units, activation }, the output layer last");
        return layers;
    }
    if (!js.isArray()) {
        in.problem("layers", ConfigReader::shown(js), "an array of { units, activation }, the output layer last");
        return layers;
    }
    const unsigned n = js["length"].as<unsigned>();
    if (n > Limits::max_layers) {
        in.problem("layers.length", std::to_string(n),
                   "a whole number from 1 to " + std::to_string(Limits::max_layers));
        return layers;
    }
    for (unsigned l = 0; l < n; ++l) {
        const val item = js[l];
        const std::string at = "layers[" + std::to_string(l) + "]";
        LayerSpec spec;
        if (!in.is_object(item)) {
            in.problem(at, ConfigReader::shown(item), "an object { units, activation }");
            continue;
        }
        in.only_known(item, at, {"units", "activation", "alpha"});
        spec.units = in.count(item, "units", 0, at + ".units");
        if (item["units"].isUndefined()) in.problem(at + ".units", "missing", "a whole number from 1 to 512");
        spec.activation.kind = in.name(item["activation"], activation_names,
                                       l + 1 == n ? Activation::linear : Activation::tanh, at + ".activation");
        spec.activation.alpha = in.number(item, "alpha", default_alpha(spec.activation.kind), at + ".alpha");
        layers.push_back(spec);
    }
    return layers;
}

}  // namespace

TrainerConfig config_from_js(const val& js, std::vector<ConfigProblem>& problems) {
    ConfigReader in(problems);
    TrainerConfig c;
    if (!in.is_object(js)) {
        in.problem("config", ConfigReader::shown(js), "an object");
        return c;
    }
    in.only_known(js, "", {"seed", "inputs", "features", "layers", "loss", "optimizer", "schedule",
                           "regularization", "init", "batchSize", "shuffle", "dataset"});
    const double seed = in.number(js, "seed", 1, "seed");
    if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == std::floor(seed)))
        in.problem("seed", describe(seed), "a whole number from 0 to 2^53");
    else
        c.seed = static_cast<std::uint64_t>(seed);

    c.inputs = in.count(js, "inputs", 2, "inputs");
    const val features = js["features"];
    if (!features.isUndefined()) {
        if (!features.isArray() || features["length"].as<unsigned>() == 0 ||
            features["length"].as<unsigned>() > feature_names.size()) {
            in.problem("features", ConfigReader::shown(features),
                       "a non-empty array of " + allowed_names(feature_names));
        } else {
            const unsigned n = features["length"].as<unsigned>();
            for (unsigned i = 0; i < n; ++i)
                c.features.push_back(in.name(features[i], feature_names, Feature::x1,
                                             "features[" + std::to_string(i) + "]"));
        }
    }
    c.layers = layers_from_js(js["layers"], in);
    // The loss that fits the output layer, unless one is named.
    Loss natural = Loss::mse;
    if (!c.layers.empty() && c.layers.back().activation.kind == Activation::sigmoid) natural = Loss::bce;
    if (!c.layers.empty() && c.layers.back().activation.kind == Activation::softmax) natural = Loss::cce;
    c.loss = in.name(js["loss"], loss_names, natural, "loss");
    c.optimizer = optimizer_from_js(js["optimizer"], in);
    c.schedule = schedule_from_js(js["schedule"], in);

    const val reg = js["regularization"];
    if (!reg.isUndefined()) {
        if (!in.is_object(reg)) {
            in.problem("regularization", ConfigReader::shown(reg), "an object { kind, rate }");
        } else {
            in.only_known(reg, "regularization", {"kind", "rate"});
            c.regularization.kind = in.name(reg["kind"], penalty_names, Penalty::none, "regularization.kind");
            c.regularization.rate = in.number(reg, "rate", 0.0, "regularization.rate");
        }
    }
    c.init = in.name(js["init"], init_names, Init::xavier, "init");
    c.batch_size = in.count(js, "batchSize", 10, "batchSize");
    c.shuffle = in.flag(js, "shuffle", true, "shuffle");

    const val data = js["dataset"];
    if (!data.isUndefined()) {
        if (!in.is_object(data)) {
            in.problem("dataset", ConfigReader::shown(data), "an object { name, samples, noise, trainRatio, classes }");
        } else {
            in.only_known(data, "dataset", {"name", "samples", "noise", "trainRatio", "classes"});
            DatasetConfig d;
            if (data["name"].isUndefined()) in.problem("dataset.name", "missing", allowed_names(dataset_names));
            d.kind = in.name(data["name"], dataset_names, DatasetKind::circle, "dataset.name");
            d.samples = in.count(data, "samples", d.samples, "dataset.samples");
            d.noise = in.number(data, "noise", d.noise, "dataset.noise");
            d.train_ratio = in.number(data, "trainRatio", d.train_ratio, "dataset.trainRatio");
            d.classes = in.count(data, "classes", d.classes, "dataset.classes");
            c.dataset = d;
        }
    }
    return c;
}

// ---- the trainer handle ------------------------------------------------------------------

Trainer& TrainerHandle::engine() const {
    if (!trainer_) throw LabError("internal", "", "the trainer handle was used before init()");
    return *trainer_;
}

val TrainerHandle::init(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        TrainerConfig c = config_from_js(config, problems);
        // Validation sees fallbacks where reading failed, so it only adds fields not yet reported.
        for (auto& p : validate(c)) {
            bool reported = false;
            for (const auto& q : problems) reported = reported || p.field.rfind(q.field, 0) == 0;
            if (!reported) problems.push_back(std::move(p));
        }
        if (!problems.empty()) return problems_value(problems);
        trainer_ = std::make_unique<Trainer>(std::move(c));
        return ok();
    });
}

val TrainerHandle::layer_sizes() const {
    return guarded([&] {
        std::vector<double> sizes(engine().layer_sizes().begin(), engine().layer_sizes().end());
        return val::array(sizes);
    });
}

val TrainerHandle::get_weights(double layer) const {
    return guarded([&] {
        const auto& w = engine().layer(index_arg(layer, "layer")).weights;
        return float64_copy(w.data(), w.size());
    });
}

val TrainerHandle::set_weights(double layer, val values) {
    return guarded([&] {
        const std::size_t l = index_arg(layer, "layer");
        const auto w = numbers_arg(values, "weights");
        engine().set_weights(l, w.data(), w.size());
        return ok();
    });
}

val TrainerHandle::get_biases(double layer) const {
    return guarded([&] {
        const auto& b = engine().layer(index_arg(layer, "layer")).biases;
        return float64_copy(b.data(), b.size());
    });
}

val TrainerHandle::set_biases(double layer, val values) {
    return guarded([&] {
        const std::size_t l = index_arg(layer, "layer");
        const auto b = numbers_arg(values, "biases");
        engine().set_biases(l, b.data(), b.size());
        return ok();
    });
}

val TrainerHandle::set_data(val x, val y, double n) {
    return guarded([&] {
        const std::size_t count = index_arg(n, "n");
        const auto xs = numbers_arg(x, "x");
        const auto ys = numbers_arg(y, "y");
        const auto& c = engine().config();
        if (xs.size() != count * c.point_size())
            throw LabError("invalid_argument", "x",
                           "x has " + std::to_string(xs.size()) + " numbers; n = " + std::to_string(count) +
                               " points need " + std::to_string(count * c.point_size()) + " (" +
                               std::to_string(c.point_size()) + " per point)");
        if (ys.size() != count * c.output_size())
            throw LabError("invalid_argument", "y",
                           "y has " + std::to_string(ys.size()) + " numbers; n = " + std::to_string(count) +
                               " points need " + std::to_string(count * c.output_size()) + " (" +
                               std::to_string(c.output_size()) + " per point)");
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

val TrainerHandle::predict(val x, double n) {
    return guarded([&] {
        const std::size_t count = index_arg(n, "n");
        const auto xs = numbers_arg(x, "x");
        const std::size_t point = engine().config().point_size();
        if (xs.size() != count * point)
            throw LabError("invalid_argument", "x",
                           "x has " + std::to_string(xs.size()) + " numbers; n = " + std::to_string(count) +
                               " points need " + std::to_string(count * point));
        const auto out = engine().predict(xs.data(), count);
        return float64_copy(out.data(), out.size());
    });
}

namespace {

val diverged_error(const Trainer& t) {
    const Cursor c = t.cursor();
    return error_value("diverged", "optimizer.lr",
                       "training diverged at epoch " + std::to_string(c.epoch) + ", batch " +
                           std::to_string(c.batch) +
                           ": the loss or a weight became infinite or NaN with learning rate " +
                           describe(t.learning_rate()) +
                           ". The step was undone; lower the learning rate or reset the network.");
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
    return out;
}

}  // namespace

val TrainerHandle::trace(double layer) const {
    return guarded([&] {
        const std::size_t l = index_arg(layer, "layer");
        const LayerTrace& t = engine().trace(l);
        const std::size_t rows = engine().batch_rows();
        const std::size_t units = engine().layer_sizes()[l + 1], in = engine().layer_sizes()[l];
        val out = val::object();
        out.set("batch", rows);
        out.set("units", units);
        out.set("inputs", in);
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
        if (l + 1 == engine().layer_count()) {
            out.set("loss", engine().batch_loss());
        }
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

val TrainerHandle::heatmaps(double res, double x_min, double x_max, double y_min, double y_max) {
    return guarded([&] {
        const auto& maps = engine().heatmaps(index_arg(res, "res"), x_min, x_max, y_min, y_max);
        return val(emscripten::typed_memory_view(maps.size(), maps.data()));
    });
}

val TrainerHandle::input_heatmaps(double res, double x_min, double x_max, double y_min, double y_max) {
    return guarded([&] {
        const auto& maps = engine().input_heatmaps(index_arg(res, "res"), x_min, x_max, y_min, y_max);
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
            throw LabError("bad_snapshot", "snapshot", "restore needs the Uint8Array that snapshot() returned");
        const auto data = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
        engine().restore(data.data(), data.size());
        return ok();
    });
}

val engine_info() {
    val out = val::object();
    out.set("version", std::string(BPLAB_VERSION));
    out.set("heapUsed", static_cast<double>(mallinfo().uordblks));
    return out;
}

}  // namespace bplab::wasm
