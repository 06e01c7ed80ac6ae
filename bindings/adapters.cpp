#include "adapters.hpp"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <new>
#include <string>
#include <utility>

#include "bplab/config_io.hpp"
#include "bplab/errors.hpp"
#include "bplab/surfaces.hpp"
#include "kernels/kernels.hpp"

namespace bplab::wasm {
namespace {

// ---- values out ----------------------------------------------------------------------------------

// Sets out.key = value for each pair in turn: numbers, flags, text and values made before.
inline void put(val&) {}
template <class V, class... Rest>
void put(val& out, const char* key, const V& value, const Rest&... rest) {
    if constexpr (std::is_same_v<V, val> || std::is_same_v<V, bool>) out.set(key, value);
    else if constexpr (std::is_arithmetic_v<V>) out.set(key, static_cast<double>(value));
    else out.set(key, std::string(std::string_view(value)));
    put(out, rest...);
}

// { key: value, … }
template <class... Fields>
val object(const Fields&... fields) {
    val out = val::object();
    put(out, fields...);
    return out;
}

val text(std::string_view s) { return val(std::string(s)); }

val float64_copy(const double* data, std::size_t n) {
    return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}
val float64_copy(const std::vector<double>& v) { return float64_copy(v.data(), v.size()); }

template <class T>
val number_array(const std::vector<T>& v) { return val::array(std::vector<double>(v.begin(), v.end())); }

val string_array(const std::vector<std::string_view>& names) {
    val out = val::array();
    for (std::string_view name : names) out.call<void>("push", text(name));
    return out;
}

template <class E, std::size_t N>
val name_list(const NameTable<E, N>& table) {
    std::vector<std::string_view> names;
    for (const auto& entry : table) names.push_back(entry.first);
    return string_array(names);
}

val error_value(const std::string& code, const std::string& field, const std::string& message) {
    return object("error", object("code", code, "field", field, "message", message));
}

val problems_value(const std::vector<ConfigProblem>& problems) {
    std::string message = "invalid trainer config: ";
    val list = val::array();
    for (const ConfigProblem& p : problems) {
        message += (list["length"].as<unsigned>() > 0 ? "; " : "") + p.message();
        list.call<void>("push",
                        object("field", p.field, "value", p.value, "allowed", p.allowed, "message", p.message()));
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

val ok() { return object("ok", true); }

// Numbers that overflowed: the call is refused as `diverged`, naming what to make smaller.
val overflow_error(const std::string& field, const std::string& what, const std::string& allowed) {
    return error_value("diverged", field, field + ": " + what + " too large for a number (it overflows to infinity or NaN); allowed: " + allowed);
}

// ---- values in ------------------------------------------------------------------------------------

// A JS value as a message shows it: 'text', 3, NaN, null, an array of 4, a Float32Array of 6.
std::string shown(const val& v) {
    const std::string type = v.typeOf().as<std::string>();
    const auto with_article = [](const std::string& noun) {
        return (std::string("AEIOUaeiou").find(noun[0]) != std::string::npos ? "an " : "a ") + noun;
    };
    if (type == "string") {
        const std::string s = v.as<std::string>();
        return "'" + (s.size() > 40 ? s.substr(0, 40) + "…" : s) + "'";
    }
    if (type == "number") return describe(v.as<double>());
    if (type == "boolean") return v.as<bool>() ? "true" : "false";
    if (v.isUndefined() || v.isNull()) return v.isNull() ? "null" : "undefined";
    if (v.isArray()) return "an array of " + std::to_string(v["length"].as<unsigned>());
    if (type != "object") return with_article(type);
    // "[object Float32Array]" names the kind of object without calling anything of its own.
    const std::string tag = val::global("Object")["prototype"]["toString"].call<std::string>("call", v);
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
    const auto allowed = [&] {
        return "; allowed: a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    };
    if (!v.isNumber()) throw LabError("invalid_argument", field, field + " is " + shown(v) + allowed());
    const double x = v.as<double>();
    if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi) && x == std::floor(x)))
        throw LabError("out_of_range", field, field + " is " + describe(x) + allowed());
    return static_cast<std::size_t>(x);
}

template <class E, std::size_t N>
E name_arg(const val& v, const NameTable<E, N>& table, const std::string& field) {
    if (v.isString())
        if (auto e = from_name(table, v.as<std::string>())) return *e;
    throw LabError("invalid_argument", field, field + " is " + shown(v) + "; allowed: " + allowed_names(table));
}

// A Float64Array's numbers. Its length is checked before anything is copied, so that a
// wrong array cannot grow the heap: `want`, unless why is empty.
std::vector<double> float64_arg(const val& v, const std::string& field, std::size_t want = 0,
                                const std::string& why = "") {
    if (!v.instanceof(val::global("Float64Array")))
        throw LabError("invalid_argument", field,
                       field + " is " + shown(v) + "; allowed: a Float64Array or an array of numbers");
    const auto n = v["length"].as<std::size_t>();
    if (!why.empty() && n != want)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(n) + " numbers; allowed: " + std::to_string(want) + " (" +
                           why + ")");
    return emscripten::convertJSArrayToNumberVector<double>(v);
}

// An array of the lab-level calls: 1 to max_values finite numbers.
std::vector<double> values_arg(const val& v, const std::string& field) {
    std::vector<double> x = float64_arg(v, field);
    if (x.empty() || x.size() > Limits::max_values)
        throw LabError("invalid_argument", field,
                       field + " has " + std::to_string(x.size()) + " numbers; allowed: 1 to " +
                           std::to_string(Limits::max_values));
    require_finite(x.data(), x.size(), field);
    return x;
}

// ---- configs: the engine reads and writes them (config_io.hpp) --------------------------------------

// No config holds a longer list, or a deeper one: what lies beyond is only shown.
constexpr unsigned max_items = 64, max_depth = 4;

// A JS value as the engine reads it: numbers, strings, flags, null, arrays and objects (their
// own keys in order); anything else only as a message shows it.
Value to_value(const val& v, unsigned depth = 0) {
    const std::string type = v.typeOf().as<std::string>();
    if (type == "number") return Value(v.as<double>());
    if (type == "string") return Value(std::string_view(v.as<std::string>()));
    if (type == "boolean") return Value(v.as<bool>());
    Value out;
    if (v.isUndefined()) return out;
    out.type = Value::Type::null;
    if (v.isNull()) return out;
    out.type = Value::Type::other;
    out.text = shown(v);
    const bool plain = type == "object" && !val::global("ArrayBuffer").call<bool>("isView", v);
    if (!plain || depth >= max_depth) return out;
    if (v.isArray()) {
        out.type = Value::Type::array;
        out.length = v["length"].as<std::size_t>();
        for (unsigned i = 0; i < std::min<std::size_t>(out.length, max_items); ++i)
            out.items.push_back(to_value(v[i], depth + 1));
        return out;
    }
    out.type = Value::Type::object;
    const val keys = val::global("Object").call<val>("keys", v);
    for (unsigned i = 0; i < keys["length"].as<unsigned>(); ++i) {
        const std::string key = keys[i].as<std::string>();
        out.fields.emplace_back(key, to_value(v[key], depth + 1));
    }
    return out;
}

val to_js(const Value& v) {
    switch (v.type) {
        case Value::Type::number: return val(v.number);
        case Value::Type::string: return val(v.text);
        case Value::Type::boolean: return val(v.flag);
        case Value::Type::null: return val::null();
        case Value::Type::array: {
            val out = val::array();
            for (const Value& item : v.items) out.call<void>("push", to_js(item));
            return out;
        }
        case Value::Type::object: {
            val out = val::object();
            for (const auto& [key, field] : v.fields) out.set(key, to_js(field));
            return out;
        }
        default: return val::undefined();
    }
}

}  // namespace

// ---- the trainer handle ------------------------------------------------------------------------------

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
        TrainerConfig c = read_config(to_value(config), problems);
        if (!problems.empty()) return problems_value(problems);
        trainer_ = std::make_unique<Trainer>(std::move(c));
        return ok();
    });
}

val TrainerHandle::reconfigure(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        const TrainerConfig c = read_config(to_value(config), problems);
        if (!problems.empty()) return problems_value(problems);
        engine().reconfigure(c);
        return ok();
    });
}

val TrainerHandle::config() const {
    return guarded([&] { return to_js(write_config(engine().config())); });
}

val TrainerHandle::layer_sizes() const {
    return guarded([&] { return number_array(engine().layer_sizes()); });
}

val TrainerHandle::get_weights(val layer) const {
    return guarded([&] {
        const auto& w = engine().layer(layer_arg(layer)).weights;
        return float64_copy(w.data(), w.size());
    });
}

val TrainerHandle::set_weights(val layer, val values) {
    return guarded([&] {
        const std::size_t l = layer_arg(layer), units = engine().layer_sizes()[l + 1], in = engine().layer_sizes()[l];
        const auto w = float64_arg(values, "weights", units * in,
                                   "layer " + std::to_string(l) + " has " + std::to_string(units) + " units × " +
                                       std::to_string(in) + " inputs, W[j][i] row-major");
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
        const std::size_t l = layer_arg(layer), units = engine().layer_sizes()[l + 1];
        const std::string shape = "layer " + std::to_string(l) + " has " + std::to_string(units) + " units";
        const auto b = float64_arg(values, "biases", units, shape);
        engine().set_biases(l, b.data(), b.size());
        return ok();
    });
}

val TrainerHandle::set_data(val x, val y, val n) {
    return guarded([&] {
        const std::size_t count = whole_arg(n, "n", 1, Limits::max_samples);
        const TrainerConfig& c = engine().config();
        const std::string points = "n = " + std::to_string(count) + " points × ";
        const auto xs = float64_arg(x, "x", count * c.point_size(),
                                    points + std::to_string(c.point_size()) +
                                        (c.features.empty() ? " inputs" : " coordinates (x1, x2)"));
        const auto ys =
            float64_arg(y, "y", count * c.output_size(), points + std::to_string(c.output_size()) + " outputs");
        engine().set_data(xs.data(), ys.data(), count);
        return ok();
    });
}

val TrainerHandle::data() const {
    return guarded([&] {
        const auto part = [](const Split& s) {
            val part = object("points", float64_copy(s.points), "labels", float64_copy(s.labels), "size", s.size());
            part.set("targets", float64_copy(s.targets.data(), s.targets.size()));
            return part;
        };
        const TrainerConfig& c = engine().config();
        const std::size_t classes = c.classification() ? std::max<std::size_t>(c.output_size(), 2) : 0;
        val out = object("pointSize", c.point_size(), "classification", c.classification(), "classes", classes);
        put(out, "train", part(engine().train_split()), "test", part(engine().test_split()));
        return out;
    });
}

val TrainerHandle::predict(val x, val n) {
    return guarded([&] {
        // n × outputs numbers come back: a wide output layer takes fewer points per call.
        const TrainerConfig& c = engine().config();
        const std::size_t most = std::min(Limits::max_points, Limits::max_results / c.output_size());
        const std::size_t count = whole_arg(n, "n", 0, most);
        const auto xs = float64_arg(x, "x", count * c.point_size(),
                                    "n = " + std::to_string(count) + " points × " + std::to_string(c.point_size()));
        const std::vector<double> outputs = engine().predict(xs.data(), count);
        if (!kernels::all_finite(outputs.data(), outputs.size()))
            return overflow_error("x", "with these weights the network's outputs for x are",
                                  "points whose outputs are finite: smaller x, or smaller weights (reset the network)");
        return float64_copy(outputs);
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
    error["error"].set("details", object("lr", t.learning_rate(), "epoch", c.epoch, "batch", c.batch));
    return error;
}

}  // namespace

val TrainerHandle::step_phase() {
    return guarded([&] {
        const PhaseResult r = engine().step_phase();
        if (r.diverged) return diverged_error(*trainer_);
        return object("phase", to_name(phase_names, r.phase), "layer", r.layer);
    });
}

val TrainerHandle::train_step() {
    return guarded([&] {
        const BatchResult r = engine().train_step();
        if (r.diverged) return diverged_error(*trainer_);
        return object("loss", r.loss, "epoch", r.epoch, "batch", r.batch);
    });
}

val TrainerHandle::train_epoch() {
    return guarded([&] {
        const EpochResult r = engine().train_epoch();
        if (r.diverged) return diverged_error(*trainer_);
        return object("loss", r.loss, "epoch", r.epoch, "lr", r.lr);
    });
}

val TrainerHandle::cursor() const {
    return guarded([&] {
        const Cursor c = engine().cursor();
        return object("phase", to_name(phase_names, c.phase), "layer", c.layer, "epoch", c.epoch, "batch", c.batch,
                      "batchesPerEpoch", c.batches_per_epoch, "lr", engine().learning_rate());
    });
}

namespace {

// torch's optimizer.state[p] for one parameter tensor: the step and the arrays this optimizer keeps.
val plain_state_value(const ParamState& s) {
    val out = object("step", static_cast<double>(s.step));
    for (const StateArray& array : state_arrays)
        if (!(s.*array.values).empty()) out.set(array.name, float64_copy(s.*array.values));
    return out;
}

val param_state_value(const OptimizerConfig& config, double lr, const ParamState& s, std::size_t n) {
    val out = plain_state_value(s);
    const auto put = [&](const char* name, const std::vector<double>& v) {
        if (!v.empty()) out.set(name, float64_copy(v));
    };
    put("effectiveLr", effective_rates(config, lr, s, n));
    const CorrectedMoments corrected = corrected_moments(config, s);
    put("mHat", corrected.m_hat);
    put("vHat", corrected.v_hat);
    return out;
}

// The arrays of a trace: each per-sample one for `rows` rows from `row` on (the batch, or the
// probe's row), and unless per_sample_only the batch's gradients and update.
void put_trace_arrays(val& out, const LayerTrace& t, std::size_t row, std::size_t rows, bool per_sample_only) {
    for (const TraceArray& array : trace_arrays) {
        const auto* m = array.matrix ? &(t.*array.matrix) : nullptr;
        if (array.shape == TraceShape::per_sample)
            out.set(array.name, float64_copy(m->data() + row * m->shape()[1], rows * m->shape()[1]));
        else if (!per_sample_only)
            out.set(array.name, m ? float64_copy(m->data(), m->size())
                                  : float64_copy((t.*array.vector).data(), (t.*array.vector).size()));
    }
}

// The probe's own row of layer l's trace, or null.
val probe_trace(const Trainer& t, std::size_t l) {
    const auto row = t.probe_row();
    if (!row) return val::null();
    const LayerTrace& tr = t.trace(l);
    const std::size_t units = t.layer_sizes()[l + 1], in = t.layer_sizes()[l], r = *row;
    val out = object("index", static_cast<double>(*t.probe()));
    out.set("input", float64_copy(t.layer_input(l) + r * in, in));
    out.set("dW", float64_copy(t.sample_weight_grad(l, r)));
    out.set("db", float64_copy(tr.downstream_grad.data() + r * units, units));  // ∂ℓ/∂b_j = ∂ℓ/∂z_j
    put_trace_arrays(out, tr, r, 1, true);
    if (l + 1 == t.layer_count() && tr.forward_done) out.set("loss", t.sample_loss_of(r));
    return out;
}

}  // namespace

val TrainerHandle::trace(val layer) const {
    return guarded([&] {
        const Trainer& e = engine();
        const std::size_t l = layer_arg(layer), rows = e.batch_rows(), in = e.layer_sizes()[l];
        const LayerTrace& t = e.trace(l);
        const BatchWork& work = e.state().work;
        const OptimizerConfig& oc = e.config().optimizer;
        const LayerOptimizerState& opt = e.optimizer_state(l);
        const double lr = e.update_learning_rate();  // the schedule may have moved on since
        val out = object("batch", rows, "units", e.layer_sizes()[l + 1], "inputs", in, "forwardDone", t.forward_done,
                         "backwardDone", t.backward_done, "updateDone", t.update_done);
        out.set("step", object("epoch", work.epoch, "batch", work.batch));  // the batch these numbers belong to
        out.set("samples", number_array(e.batch_indices()));
        out.set("input", float64_copy(e.layer_input(l), rows * in));
        put_trace_arrays(out, t, 0, rows, false);
        val state = object("lr", lr);
        state.set("weights", param_state_value(oc, lr, opt.weights, t.weights_before.size()));
        state.set("biases", param_state_value(oc, lr, opt.biases, t.biases_before.size()));
        out.set("state", state);
        if (l + 1 == e.layer_count()) out.set("loss", e.loss_done() ? val(e.batch_loss()) : val::null());
        out.set("probe", probe_trace(e, l));
        return out;
    });
}

val TrainerHandle::resume_state(val epochs) const {
    return guarded([&] {
        const Trainer& e = engine();
        const TrainingState& s = e.state();
        // Each epoch's order is a training set's worth of numbers: at most limits.values in all.
        const std::size_t n = std::max<std::size_t>(e.train_split().size(), 1);
        const std::size_t count = whole_arg(epochs, "epochs", 1, std::max<std::size_t>(1, std::min<std::size_t>(
                                                                      1000, Limits::max_values / n)));
        val optimizer = val::array();
        for (const LayerOptimizerState& layer : s.optimizer)
            optimizer.call<void>("push", object("weights", plain_state_value(layer.weights), "biases",
                                                plain_state_value(layer.biases)));
        const ScheduleState& sc = s.schedule;
        val schedule = object("lastEpoch", sc.last_epoch, "lr", sc.lr, "best", sc.best, "numBadEpochs",
                              sc.num_bad_epochs, "cooldownCounter", sc.cooldown_counter);
        val orders = val::array();
        for (const std::vector<std::uint32_t>& order : e.epoch_orders(count))
            orders.call<void>("push", val::global("Uint32Array").new_(emscripten::typed_memory_view(order.size(), order.data())));
        val out = object("optimizer", optimizer, "schedule", schedule);
        put(out, "epochLoss", object("sum", s.epoch.loss_sum, "samples", s.epoch.samples), "orders", orders);
        return out;
    });
}

val TrainerHandle::evaluate() {
    return guarded([&] {
        const Trainer& t = engine();
        const Evaluation e = engine().evaluate();
        // null: an empty split (or accuracy for regression); a non-empty split whose loss is not
        // finite overflowed, and is refused with the whole evaluation, that loss as Infinity.
        const auto number_or_null = [](double x) { return std::isnan(x) ? val::null() : val(x); };
        const auto loss_of = [](double x, std::size_t n) {
            return n == 0 ? val::null() : std::isfinite(x) ? val(x) : val(std::numeric_limits<double>::infinity());
        };
        val out = object("trainLoss", loss_of(e.train_loss, t.train_split().size()), "testLoss",
                         loss_of(e.test_loss, t.test_split().size()));
        put(out, "trainAccuracy", number_or_null(e.train_accuracy), "testAccuracy", number_or_null(e.test_accuracy));
        const bool train_over = t.train_split().size() > 0 && !std::isfinite(e.train_loss);
        const bool test_over = t.test_split().size() > 0 && !std::isfinite(e.test_loss);
        if (!train_over && !test_over) return out;
        val error = overflow_error(
            "weights",
            std::string("with these weights the loss over the ") +
                (train_over && test_over ? "training and the test split is" : train_over ? "training split is" : "test split is"),
            "smaller weights: reset the network, or lower optimizer.lr and train again");
        error["error"].set("details", out);
        return error;
    });
}

namespace {

// maps × res² numbers come back: a large network gets a coarser grid, so that one call stays
// within Limits::max_results. The result is a view on the engine's buffer. Maps drawn in float32
// (at most 3.4e38) that overflowed are refused: either the plane's own features overflow it (the
// bound farthest from 0 is at fault), or the network's outputs do (its weights are).
template <class Maps>
val grid_call(const Trainer& t, std::size_t maps, const val& res, const val& x_min, const val& x_max, const val& y_min,
              const val& y_max, Maps compute) {
    const auto finest = static_cast<std::size_t>(std::sqrt(static_cast<double>(Limits::max_results / maps)));
    const std::size_t r = whole_arg(res, "res", 1, std::min(Limits::max_grid, finest));
    const double bounds[] = {finite_arg(x_min, "xMin"), finite_arg(x_max, "xMax"), finite_arg(y_min, "yMin"),
                             finite_arg(y_max, "yMax")};
    const auto [out, finite] = compute(r, bounds[0], bounds[1], bounds[2], bounds[3]);
    if (!finite) {
        static const char* const names[] = {"xMin", "xMax", "yMin", "yMax"};
        std::size_t far = 0;
        for (std::size_t k = 1; k < 4; ++k)
            if (std::abs(bounds[k]) > std::abs(bounds[far])) far = k;
        if (!t.input_heatmaps_finite())
            throw LabError("out_of_range", names[far],
                           std::string(names[far]) + " is " + describe(bounds[far]) +
                               ": the inputs over this plane are too large for the float32 maps; allowed: a plane "
                               "whose features are finite in float32 (|x|, |y| well below 1e19)");
        throw LabError("diverged", "weights",
                       "weights: with these weights the neurons' outputs over this plane are too large for the "
                       "float32 maps (they overflow to infinity or NaN); allowed: smaller weights (reset the "
                       "network, or lower optimizer.lr and train again)");
    }
    return val(emscripten::typed_memory_view(out->size(), out->data()));
}

}  // namespace

val TrainerHandle::heatmaps(val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        Trainer& t = engine();
        return grid_call(t, t.state().network.neurons(), res, x_min, x_max, y_min, y_max, [&](auto... args) {
            const std::vector<float>* maps = &t.heatmaps(args...);
            return std::pair{maps, t.heatmaps_finite()};
        });
    });
}

val TrainerHandle::input_heatmaps(val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        Trainer& t = engine();
        return grid_call(t, t.layer_sizes().front(), res, x_min, x_max, y_min, y_max, [&](auto... args) {
            const std::vector<float>* maps = &t.input_heatmaps(args...);
            return std::pair{maps, t.input_heatmaps_finite()};
        });
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
        // A snapshot is smaller than the trainer's whole memory; larger bytes are not one (and
        // are refused before they are copied into the engine).
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
    return guarded([&] { return float64_copy(engine().gradient_sizes()); });
}

val TrainerHandle::dead_units() const {
    return guarded([&] {
        const std::vector<std::size_t> dead = engine().dead_units();
        return float64_copy(std::vector<double>(dead.begin(), dead.end()));
    });
}

val TrainerHandle::set_probe(val index) {
    return guarded([&] {
        const std::size_t n = engine().train_split().size();
        std::optional<std::size_t> sample;
        if (!index.isNull() && !index.isUndefined() && n == 0)
            throw LabError("no_data", "index", "index: there is no training data to take a probe sample from");
        if (!index.isNull() && !index.isUndefined()) sample = whole_arg(index, "index", 0, n - 1);
        engine().set_probe(sample);
        return ok();
    });
}

val TrainerHandle::probe() const {
    return guarded([&] {
        const auto p = engine().probe();
        return object("index", p ? val(static_cast<double>(*p)) : val::null());
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
        std::string which = sample.isString() ? sample.as<std::string>() : "";
        if (sample.isUndefined()) which = t.probe_row() ? "probe" : "mean";
        if (sample.isNumber()) row = whole_arg(sample, "sample", 0, t.batch_rows() == 0 ? 0 : t.batch_rows() - 1);
        if (sample.isNumber()) which = "row";
        if (which != "probe" && which != "mean" && which != "row")
            throw LabError("invalid_argument", "sample",
                           "sample is " + shown(sample) + "; allowed: 'probe', 'mean' or a batch row number");
        if (which == "probe" && !t.probe_row())
            throw LabError("invalid_argument", "sample",
                           "sample is 'probe' but no probe is set (setProbe); allowed: 'mean' or a batch row");
        if (which == "probe") row = t.probe_row();
        const std::size_t n =
            limit.isUndefined() ? Limits::listed_paths : whole_arg(limit, "limit", 1, Limits::max_listed_paths);
        const PathDecomposition d = t.chain_paths(l, j, i, row, n);
        val list = val::array();
        for (const ChainPath& p : d.paths) {
            val item = object("units", number_array(p.units), "product", p.product);
            if (!p.factors.empty()) item.set("factors", float64_copy(p.factors));
            list.call<void>("push", item);
        }
        val out = object("layer", l, "to", j, "from", i, "count", d.count, "sum", d.sum, "listedSum", d.listed_sum);
        put(out, "sample", which == "row" ? val(static_cast<double>(*row)) : text(which), "paths", list);
        return out;
    });
}

// ---- lab-level calls ----------------------------------------------------------------------------------

val engine_info() {
    return object("version", BPLAB_VERSION, "heapUsed", static_cast<double>(mallinfo().uordblks));
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
    using L = Limits;
    return object("layers", L::max_layers, "units", L::max_units, "inputs", L::max_inputs, "samples", L::max_samples,
                  "batchSize", L::max_batch, "gridRes", L::max_grid, "points", L::max_points, "results", L::max_results,
                  "values", L::max_values, "lr", L::max_lr, "surfaceSteps", L::max_surface_steps, "epochs",
                  L::max_epochs);
}

val settings() { return to_js(settings_table()); }

val resolve_config(val config) {
    return guarded([&] {
        std::vector<ConfigProblem> problems;
        const TrainerConfig c = read_config(to_value(config), problems);
        if (!problems.empty()) return problems_value(problems);
        return object("config", to_js(write_config(c)));
    });
}

val activation_values(val name, val z, val alpha) {
    return guarded([&] {
        std::string allowed;
        for (const auto& [n, kind] : activation_names)
            if (kind != Activation::softmax) allowed += (allowed.empty() ? "'" : ", '") + std::string(n) + "'";
        const auto kind = name.isString() ? from_name(activation_names, name.as<std::string>()) : std::nullopt;
        if (!kind) throw LabError("invalid_argument", "name", "name is " + shown(name) + "; allowed: " + allowed);
        if (*kind == Activation::softmax)
            throw LabError("invalid_argument", "name",
                           "name is 'softmax', which works on a whole row: use lab.softmax(scores); allowed: " +
                               allowed);
        const ActivationSpec f{*kind, alpha.isUndefined() ? default_alpha(*kind) : finite_arg(alpha, "alpha")};
        for (const ConfigProblem& p : validate_alpha(f, "alpha"))
            throw LabError("invalid_argument", "alpha", p.message());
        const auto zs = values_arg(z, "z");
        std::vector<double> value(zs.size()), derivative(zs.size());
        for (std::size_t i = 0; i < zs.size(); ++i) {
            value[i] = activate(f, zs[i]);
            derivative[i] = local_gradient(f, zs[i], value[i]);
        }
        return object("value", float64_copy(value), "derivative", float64_copy(derivative), "alpha", f.alpha);
    });
}

val softmax_values(val scores) {
    return guarded([&] {
        const auto z = values_arg(scores, "scores");
        std::vector<double> p(z.size());
        softmax_row(z.data(), p.data(), z.size());
        return float64_copy(p);
    });
}

val loss_values(val name, val outputs, val targets, val logits, val units) {
    return guarded([&] {
        const Loss loss = name_arg(name, loss_names, "name");
        if (!logits.isUndefined() && !logits.isTrue() && !logits.isFalse())
            throw LabError("invalid_argument", "logits", "logits is " + shown(logits) + "; allowed: true or false");
        const auto out = values_arg(outputs, "outputs");
        const std::optional<std::size_t> k =
            units.isUndefined() ? std::nullopt
                                : std::optional<std::size_t>(whole_arg(units, "units", 1, Limits::max_units));
        const auto y = float64_arg(targets, "targets", out.size(), "one target per output, samples × units");
        const LossReport r = loss_report(loss, out, y, k, logits.isTrue());
        return object("loss", r.loss, "perSample", float64_copy(r.per_sample), "gradient", float64_copy(r.gradient));
    });
}

val surface_view_value(val name) {
    return guarded([&] {
        const SurfaceView v = surface_view(name_arg(name, surface_names, "name"));
        val out = object("xMin", v.x_min, "xMax", v.x_max, "yMin", v.y_min, "yMax", v.y_max);
        out.set("start", number_array(std::vector<double>{v.start_x, v.start_y}));
        out.set("minimum", number_array(std::vector<double>{v.special_x, v.special_y}));
        return out;
    });
}

val surface_grid_values(val name, val res, val x_min, val x_max, val y_min, val y_max) {
    return guarded([&] {
        const SurfaceKind kind = name_arg(name, surface_names, "name");
        const std::size_t r = whole_arg(res, "res", 1, Limits::max_grid);
        const double x0 = finite_arg(x_min, "xMin"), x1 = finite_arg(x_max, "xMax");
        const double y0 = finite_arg(y_min, "yMin"), y1 = finite_arg(y_max, "yMax");
        for (auto [lo, hi, name] : {std::tuple{x0, x1, "x"}, std::tuple{y0, y1, "y"}})
            if (!(lo < hi))
                throw LabError("invalid_argument", std::string(name) + "Min",
                               std::string(name) + "Min is " + describe(lo) + "; allowed: below " + name + "Max (" +
                                   describe(hi) + ")");
        std::vector<double> grid;
        surface_grid(kind, r, x0, x1, y0, y1, grid);
        return float64_copy(grid);
    });
}

val descend_surface_values(val name, val optimizer, val start, val steps) {
    return guarded([&] {
        const SurfaceKind kind = name_arg(name, surface_names, "name");
        const OptimizerConfig o = read_optimizer(to_value(optimizer));
        if (!start.isArray() || start["length"].as<unsigned>() != 2)
            throw LabError("invalid_argument", "start", "start is " + shown(start) + "; allowed: a point [x, y]");
        const double x0 = finite_arg(start[0], "start[0]"), y0 = finite_arg(start[1], "start[1]");
        const std::size_t n = whole_arg(steps, "steps", 0, Limits::max_surface_steps);
        const std::vector<SurfaceStep> path = descend_surface(kind, o, x0, y0, n);  // checks the settings themselves
        std::vector<double> columns[5];  // x, y, value, gradX, gradY
        val states = val::array();
        for (const SurfaceStep& p : path) {
            const double row[] = {p.x, p.y, p.value, p.grad_x, p.grad_y};
            for (std::size_t k = 0; k < 5; ++k) columns[k].push_back(row[k]);
            states.call<void>("push", param_state_value(o, o.lr, p.state, 2));
        }
        val out = object("states", states, "diverged", path.back().diverged);
        const char* keys[] = {"x", "y", "value", "gradX", "gradY"};
        for (std::size_t k = 0; k < 5; ++k) out.set(keys[k], float64_copy(columns[k]));
        return out;
    });
}

val schedule_rates(val schedule, val lr, val epochs, val losses) {
    return guarded([&] {
        const ScheduleConfig config = read_schedule(to_value(schedule));
        const double base_lr = finite_arg(lr, "lr");
        for (const ConfigProblem& p : validate_schedule(config, base_lr, "lr"))
            throw LabError("invalid_argument", p.field, p.message());
        const std::size_t n = whole_arg(epochs, "epochs", 1, Limits::max_epochs);
        std::vector<double> metric;
        if (config.kind == ScheduleKind::plateau || !losses.isUndefined()) {
            metric = float64_arg(losses, "losses", n, "one loss per epoch, the one ReduceLROnPlateau watches");
            require_finite(metric.data(), metric.size(), "losses");
        }
        const ScheduleCurve curve = schedule_curve(config, base_lr, n, metric);
        val out = object("lr", float64_copy(curve.lr));
        if (config.kind != ScheduleKind::plateau) return out;
        out.set("best", float64_copy(curve.best));
        out.set("badEpochs", float64_copy(curve.bad_epochs));
        return out;
    });
}

}  // namespace bplab::wasm
