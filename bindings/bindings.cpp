// The engine's calls as JS sees them: each reads its arguments (values.hpp), calls the
// engine, and returns plain data or { error }. The table at the end names every call once.
#include <emscripten/bind.h>
#include <malloc.h>

#include <limits>
#include <memory>
#include <optional>

#include "bplab/surfaces.hpp"
#include "bplab/trainer.hpp"
#include "kernels/kernels.hpp"
#include "values.hpp"

namespace bplab::wasm {
namespace {

// What JS holds: one trainer, made by init().
struct TrainerHandle {
    std::unique_ptr<Trainer> trainer;
};

// A trainer call F(trainer, args…) as a method of the handle, guarded.
template <auto F>
struct Method;
template <class... A, val (*F)(Trainer&, A...)>
struct Method<F> {
    static val call(TrainerHandle& h, A... args) {
        return guarded([&] {
            if (!h.trainer) throw LabError("internal", "", "the trainer handle was used before init()");
            return F(*h.trainer, args...);
        });
    }
};

// A lab-level call F(args…), guarded.
template <auto F>
struct Call;
template <class... A, val (*F)(A...)>
struct Call<F> {
    static val call(A... args) { return guarded([&] { return F(args...); }); }
};

std::size_t layer_arg(const Trainer& t, const val& layer) { return whole_arg(layer, "layer", 0, t.layer_count() - 1); }

// ---- the trainer ------------------------------------------------------------------------------------

val init(TrainerHandle& h, val config) {
    return guarded([&] {
        h.trainer = std::make_unique<Trainer>(config_arg(config));
        return ok();
    });
}

val reconfigure(Trainer& t, val config) {
    t.reconfigure(config_arg(config));
    return ok();
}

val config(Trainer& t) { return to_js(write_config(t.config())); }

val layer_sizes(Trainer& t) { return number_array(t.layer_sizes()); }

val get_weights(Trainer& t, val layer) {
    const auto& w = t.layer(layer_arg(t, layer)).weights;
    return float64_copy(w.data(), w.size());
}

val set_weights(Trainer& t, val layer, val values) {
    const std::size_t l = layer_arg(t, layer), units = t.layer_sizes()[l + 1], in = t.layer_sizes()[l];
    const auto w = float64_arg(values, "weights", units * in,
                               "layer " + std::to_string(l) + " has " + std::to_string(units) + " units × " +
                                   std::to_string(in) + " inputs, W[j][i] row-major");
    t.set_weights(l, w.data(), w.size());
    return ok();
}

val get_biases(Trainer& t, val layer) {
    const auto& b = t.layer(layer_arg(t, layer)).biases;
    return float64_copy(b.data(), b.size());
}

val set_biases(Trainer& t, val layer, val values) {
    const std::size_t l = layer_arg(t, layer), units = t.layer_sizes()[l + 1];
    const auto b = float64_arg(values, "biases", units,
                               "layer " + std::to_string(l) + " has " + std::to_string(units) + " units");
    t.set_biases(l, b.data(), b.size());
    return ok();
}

val set_data(Trainer& t, val x, val y, val n) {
    const std::size_t count = whole_arg(n, "n", 1, Limits::max_samples);
    const TrainerConfig& c = t.config();
    const std::string points = "n = " + std::to_string(count) + " points × ";
    const auto xs = float64_arg(x, "x", count * c.point_size(),
                                points + std::to_string(c.point_size()) +
                                    (c.features.empty() ? " inputs" : " coordinates (x1, x2)"));
    const auto ys = float64_arg(y, "y", count * c.output_size(), points + std::to_string(c.output_size()) + " outputs");
    t.set_data(xs.data(), ys.data(), count);
    return ok();
}

val data(Trainer& t) {
    const auto part = [](const Split& s) {
        val part = object("points", float64_copy(s.points), "labels", float64_copy(s.labels), "size", s.size());
        part.set("targets", float64_copy(s.targets.data(), s.targets.size()));
        return part;
    };
    const TrainerConfig& c = t.config();
    const std::size_t classes = c.classification() ? std::max<std::size_t>(c.output_size(), 2) : 0;
    val out = object("pointSize", c.point_size(), "classification", c.classification(), "classes", classes);
    put(out, "train", part(t.train_split()), "test", part(t.test_split()));
    return out;
}

val predict(Trainer& t, val x, val n) {
    // n × outputs numbers come back: a wide output layer takes fewer points per call.
    const TrainerConfig& c = t.config();
    const std::size_t count = whole_arg(n, "n", 0, std::min(Limits::max_points, Limits::max_results / c.output_size()));
    const auto xs = float64_arg(x, "x", count * c.point_size(),
                                "n = " + std::to_string(count) + " points × " + std::to_string(c.point_size()));
    const std::vector<double> outputs = t.predict(xs.data(), count);
    if (!kernels::all_finite(outputs.data(), outputs.size()))
        return overflow_error("x", "with these weights the network's outputs for x are",
                              "points whose outputs are finite: smaller x, or smaller weights (reset the network)");
    return float64_copy(outputs);
}

// A step undone because the loss or a weight overflowed; the details for a page that words it itself.
val diverged_error(const Trainer& t) {
    const Cursor c = t.cursor();
    val error = error_value("diverged", "optimizer.lr", diverged_message(c, t.learning_rate()));
    error["error"].set("details", object("lr", t.learning_rate(), "epoch", c.epoch, "batch", c.batch));
    return error;
}

val step_phase(Trainer& t) {
    const PhaseResult r = t.step_phase();
    return r.diverged ? diverged_error(t) : object("phase", to_name(phase_names, r.phase), "layer", r.layer);
}

val train_step(Trainer& t) {
    const BatchResult r = t.train_step();
    return r.diverged ? diverged_error(t) : object("loss", r.loss, "epoch", r.epoch, "batch", r.batch);
}

val train_epoch(Trainer& t) {
    const EpochResult r = t.train_epoch();
    return r.diverged ? diverged_error(t) : object("loss", r.loss, "epoch", r.epoch, "lr", r.lr);
}

val cursor(Trainer& t) {
    const Cursor c = t.cursor();
    return object("phase", to_name(phase_names, c.phase), "layer", c.layer, "epoch", c.epoch, "batch", c.batch,
                  "batchesPerEpoch", c.batches_per_epoch, "lr", t.learning_rate());
}

// torch's optimizer.state[p] for one parameter tensor: the step and the arrays this optimizer keeps.
val plain_state_value(const ParamState& s) {
    val out = object("step", static_cast<double>(s.step));
    for (const StateArray& array : state_arrays)
        if (!(s.*array.values).empty()) out.set(array.name, float64_copy(s.*array.values));
    return out;
}

// The same with what the inspector derives from it: the effective rates and corrected moments.
val param_state_value(const OptimizerConfig& config, double lr, const ParamState& s, std::size_t n) {
    val out = plain_state_value(s);
    const CorrectedMoments corrected = corrected_moments(config, s);
    const std::pair<const char*, std::vector<double>> derived[] = {
        {"effectiveLr", effective_rates(config, lr, s, n)}, {"mHat", corrected.m_hat}, {"vHat", corrected.v_hat}};
    for (const auto& [name, v] : derived)
        if (!v.empty()) out.set(name, float64_copy(v));
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
    val out = object("index", static_cast<double>(*t.probe()), "input", float64_copy(t.layer_input(l) + r * in, in));
    put(out, "dW", float64_copy(t.sample_weight_grad(l, r)), "db",
        float64_copy(tr.downstream_grad.data() + r * units, units));  // ∂ℓ/∂b_j = ∂ℓ/∂z_j
    put_trace_arrays(out, tr, r, 1, true);
    if (l + 1 == t.layer_count() && tr.forward_done) out.set("loss", t.sample_loss_of(r));
    return out;
}

val trace(Trainer& e, val layer) {
    const std::size_t l = layer_arg(e, layer), rows = e.batch_rows(), in = e.layer_sizes()[l];
    const LayerTrace& t = e.trace(l);
    const BatchWork& work = e.state().work;
    const OptimizerConfig& oc = e.config().optimizer;
    const LayerOptimizerState& opt = e.optimizer_state(l);
    const double lr = e.update_learning_rate();  // the schedule may have moved on since
    val out = object("batch", rows, "units", e.layer_sizes()[l + 1], "inputs", in, "forwardDone", t.forward_done,
                     "backwardDone", t.backward_done, "updateDone", t.update_done);
    put(out, "step", object("epoch", work.epoch, "batch", work.batch),  // the batch these numbers belong to
        "samples", number_array(e.batch_indices()), "input", float64_copy(e.layer_input(l), rows * in));
    put_trace_arrays(out, t, 0, rows, false);
    out.set("state", object("lr", lr, "weights", param_state_value(oc, lr, opt.weights, t.weights_before.size()),
                            "biases", param_state_value(oc, lr, opt.biases, t.biases_before.size())));
    if (l + 1 == e.layer_count()) out.set("loss", e.loss_done() ? val(e.batch_loss()) : val::null());
    out.set("probe", probe_trace(e, l));
    return out;
}

// What training will do next, for an exported script: torch's optimizer and scheduler state,
// the current epoch's running loss, and the orders of `epochs` epochs.
val resume_state(Trainer& e, val epochs) {
    const TrainingState& s = e.state();
    // Each epoch's order is a training set's worth of numbers: at most limits.values in all.
    const std::size_t n = std::max<std::size_t>(e.train_split().size(), 1);
    const std::size_t count =
        whole_arg(epochs, "epochs", 1, std::max<std::size_t>(1, std::min<std::size_t>(1000, Limits::max_values / n)));
    val optimizer = val::array(), orders = val::array();
    for (const LayerOptimizerState& layer : s.optimizer)
        optimizer.call<void>("push", object("weights", plain_state_value(layer.weights), "biases",
                                            plain_state_value(layer.biases)));
    for (const std::vector<std::uint32_t>& order : e.epoch_orders(count))
        orders.call<void>("push",
                          val::global("Uint32Array").new_(emscripten::typed_memory_view(order.size(), order.data())));
    const ScheduleState& sc = s.schedule;
    return object("optimizer", optimizer, "schedule",
                  object("lastEpoch", sc.last_epoch, "lr", sc.lr, "best", sc.best, "numBadEpochs", sc.num_bad_epochs,
                         "cooldownCounter", sc.cooldown_counter),
                  "epochLoss", object("sum", s.epoch.loss_sum, "samples", s.epoch.samples), "orders", orders);
}

val evaluate(Trainer& t) {
    const Evaluation e = t.evaluate();
    // null: an empty split (or accuracy for regression); a non-empty split whose loss is not
    // finite overflowed, and is refused with the whole evaluation, that loss as Infinity.
    const auto number_or_null = [](double x) { return std::isnan(x) ? val::null() : val(x); };
    const auto loss_of = [](double x, std::size_t n) {
        return n == 0 ? val::null() : std::isfinite(x) ? val(x) : val(std::numeric_limits<double>::infinity());
    };
    val out = object("trainLoss", loss_of(e.train_loss, t.train_split().size()), "testLoss",
                     loss_of(e.test_loss, t.test_split().size()), "trainAccuracy", number_or_null(e.train_accuracy),
                     "testAccuracy", number_or_null(e.test_accuracy));
    const bool train_over = t.train_split().size() > 0 && !std::isfinite(e.train_loss);
    const bool test_over = t.test_split().size() > 0 && !std::isfinite(e.test_loss);
    if (!train_over && !test_over) return out;
    val error = overflow_error(
        "weights",
        std::string("with these weights the loss over the ") +
            (train_over && test_over ? "training and the test split is"
                                     : train_over ? "training split is" : "test split is"),
        "smaller weights: reset the network, or lower optimizer.lr and train again");
    error["error"].set("details", out);
    return error;
}

// maps × res² numbers come back as a view on the engine's buffer: a large network gets a
// coarser grid, so that one call stays within Limits::max_results.
val grid_call(Trainer& t, bool inputs, const val& res, const val& x0, const val& x1, const val& y0, const val& y1) {
    const std::size_t maps = inputs ? t.layer_sizes().front() : t.state().network.neurons();
    const auto finest = static_cast<std::size_t>(std::sqrt(static_cast<double>(Limits::max_results / maps)));
    const std::size_t r = whole_arg(res, "res", 1, std::min(Limits::max_grid, finest));
    const double b[] = {finite_arg(x0, "xMin"), finite_arg(x1, "xMax"), finite_arg(y0, "yMin"), finite_arg(y1, "yMax")};
    const std::vector<float>& out =
        inputs ? t.input_heatmaps(r, b[0], b[1], b[2], b[3]) : t.heatmaps(r, b[0], b[1], b[2], b[3]);
    t.require_finite_heatmaps(inputs);
    return val(emscripten::typed_memory_view(out.size(), out.data()));
}

val heatmaps(Trainer& t, val res, val x0, val x1, val y0, val y1) { return grid_call(t, false, res, x0, x1, y0, y1); }

val input_heatmaps(Trainer& t, val res, val x0, val x1, val y0, val y1) {
    return grid_call(t, true, res, x0, x1, y0, y1);
}

val snapshot(Trainer& t) {
    const auto bytes = t.snapshot();
    return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
}

val restore(Trainer& t, val bytes) {
    if (!bytes.instanceof(val::global("Uint8Array")))
        throw LabError("bad_snapshot", "snapshot",
                       "snapshot is " + shown(bytes) + "; allowed: the Uint8Array that snapshot() returned");
    // A snapshot is smaller than the trainer's whole memory; larger bytes are not one (and
    // are refused before they are copied into the engine).
    const double n = bytes["length"].as<double>();
    if (n > estimated_memory(t.config()))
        throw LabError("bad_snapshot", "snapshot",
                       "snapshot has " + describe(n) + " bytes: not a snapshot of this trainer");
    const auto data = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
    t.restore(data.data(), data.size());
    return ok();
}

val gradient_sizes(Trainer& t) { return float64_copy(t.gradient_sizes()); }

val dead_units(Trainer& t) {
    const std::vector<std::size_t> dead = t.dead_units();
    return float64_copy(std::vector<double>(dead.begin(), dead.end()));
}

val set_probe(Trainer& t, val index) {
    const std::size_t n = t.train_split().size();
    const bool none = index.isNull() || index.isUndefined();
    if (!none && n == 0)
        throw LabError("no_data", "index", "index: there is no training data to take a probe sample from");
    t.set_probe(none ? std::nullopt : std::optional<std::size_t>(whole_arg(index, "index", 0, n - 1)));
    return ok();
}

val probe(Trainer& t) {
    const auto p = t.probe();
    return object("index", p ? val(static_cast<double>(*p)) : val::null());
}

val paths(Trainer& t, val layer, val to, val from, val sample, val limit) {
    const std::size_t l = layer_arg(t, layer);
    const std::size_t j = whole_arg(to, "to", 0, t.layer_sizes()[l + 1] - 1);
    const std::size_t i = whole_arg(from, "from", 0, t.layer_sizes()[l] - 1);
    // undefined: the probe if there is one, else the batch mean; 'probe', 'mean', or a batch row.
    std::optional<std::size_t> row;
    std::string which = sample.isString() ? sample.as<std::string>() : sample.isNumber() ? "row" : "";
    if (sample.isUndefined()) which = t.probe_row() ? "probe" : "mean";
    if (sample.isNumber()) row = whole_arg(sample, "sample", 0, t.batch_rows() == 0 ? 0 : t.batch_rows() - 1);
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
    return object("layer", l, "to", j, "from", i, "count", d.count, "sum", d.sum, "listedSum", d.listed_sum, "sample",
                  which == "row" ? val(static_cast<double>(*row)) : val(which), "paths", list);
}

// ---- lab-level calls ----------------------------------------------------------------------------------

val engine_info() { return object("version", BPLAB_VERSION, "heapUsed", static_cast<double>(mallinfo().uordblks)); }

val names() {
    return object("activations", name_list(activation_names), "losses", name_list(loss_names), "optimizers",
                  name_list(optimizer_names), "schedules", name_list(schedule_names), "regularizations",
                  name_list(penalty_names), "inits", name_list(init_names), "datasets", name_list(dataset_names),
                  "features", name_list(feature_names), "phases", name_list(phase_names), "surfaces",
                  name_list(surface_names));
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
    return object("config", to_js(write_config(config_arg(config))));
}

val activation_values(val name, val z, val alpha) {
    std::string allowed;
    for (const auto& [n, kind] : activation_names)
        if (kind != Activation::softmax) allowed += (allowed.empty() ? "'" : ", '") + std::string(n) + "'";
    const auto kind = name.isString() ? from_name(activation_names, name.as<std::string>()) : std::nullopt;
    if (!kind) throw LabError("invalid_argument", "name", "name is " + shown(name) + "; allowed: " + allowed);
    if (*kind == Activation::softmax)
        throw LabError("invalid_argument", "name",
                       "name is 'softmax', which works on a whole row: use lab.softmax(scores); allowed: " + allowed);
    const ActivationSpec f{*kind, alpha.isUndefined() ? default_alpha(*kind) : finite_arg(alpha, "alpha")};
    for (const ConfigProblem& p : validate_alpha(f, "alpha")) throw LabError("invalid_argument", "alpha", p.message());
    const auto zs = values_arg(z, "z");
    std::vector<double> value(zs.size()), derivative(zs.size());
    for (std::size_t i = 0; i < zs.size(); ++i) {
        value[i] = activate(f, zs[i]);
        derivative[i] = local_gradient(f, zs[i], value[i]);
    }
    return object("value", float64_copy(value), "derivative", float64_copy(derivative), "alpha", f.alpha);
}

val softmax_values(val scores) {
    const auto z = values_arg(scores, "scores");
    std::vector<double> p(z.size());
    softmax_row(z.data(), p.data(), z.size());
    return float64_copy(p);
}

val loss_values(val name, val outputs, val targets, val logits, val units) {
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
}

val surface_view_value(val name) {
    const SurfaceView v = surface_view(name_arg(name, surface_names, "name"));
    return object("xMin", v.x_min, "xMax", v.x_max, "yMin", v.y_min, "yMax", v.y_max, "start",
                  number_array(std::vector<double>{v.start_x, v.start_y}), "minimum",
                  number_array(std::vector<double>{v.special_x, v.special_y}));
}

val surface_grid_values(val name, val res, val x_min, val x_max, val y_min, val y_max) {
    const SurfaceKind kind = name_arg(name, surface_names, "name");
    const std::size_t r = whole_arg(res, "res", 1, Limits::max_grid);
    const double x0 = finite_arg(x_min, "xMin"), x1 = finite_arg(x_max, "xMax");
    const double y0 = finite_arg(y_min, "yMin"), y1 = finite_arg(y_max, "yMax");
    std::vector<double> grid;  // the engine checks each Min is below its Max
    surface_grid(kind, r, x0, x1, y0, y1, grid);
    return float64_copy(grid);
}

val descend_surface_values(val name, val optimizer, val start, val steps) {
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
    return object("states", states, "diverged", path.back().diverged, "x", float64_copy(columns[0]), "y",
                  float64_copy(columns[1]), "value", float64_copy(columns[2]), "gradX", float64_copy(columns[3]),
                  "gradY", float64_copy(columns[4]));
}

val schedule_rates(val schedule, val lr, val epochs, val losses) {
    const ScheduleConfig config = read_schedule(to_value(schedule));
    const double base_lr = finite_arg(lr, "lr");
    const std::size_t n = whole_arg(epochs, "epochs", 1, Limits::max_epochs);
    std::vector<double> metric;  // the engine checks the schedule and these losses
    if (config.kind == ScheduleKind::plateau || !losses.isUndefined())
        metric = float64_arg(losses, "losses", n, "one loss per epoch, the one ReduceLROnPlateau watches");
    const ScheduleCurve curve = schedule_curve(config, base_lr, n, metric);
    val out = object("lr", float64_copy(curve.lr));
    if (config.kind == ScheduleKind::plateau)
        put(out, "best", float64_copy(curve.best), "badEpochs", float64_copy(curve.bad_epochs));
    return out;
}

}  // namespace
}  // namespace bplab::wasm

EMSCRIPTEN_BINDINGS(backprop_lab) {
    using namespace bplab::wasm;
    using emscripten::function;
    function("engineInfo", &engine_info);
    function("names", &names);
    function("limits", &limits);
    function("settings", &settings);
    function("resolveConfig", &Call<resolve_config>::call);
    function("activation", &Call<activation_values>::call);
    function("softmax", &Call<softmax_values>::call);
    function("loss", &Call<loss_values>::call);
    function("surfaceView", &Call<surface_view_value>::call);
    function("surfaceGrid", &Call<surface_grid_values>::call);
    function("descendSurface", &Call<descend_surface_values>::call);
    function("scheduleRates", &Call<schedule_rates>::call);
    emscripten::class_<TrainerHandle>("TrainerHandle")
        .constructor<>()
        .function("init", &init)
        .function("reconfigure", &Method<reconfigure>::call)
        .function("config", &Method<config>::call)
        .function("layerSizes", &Method<layer_sizes>::call)
        .function("getWeights", &Method<get_weights>::call)
        .function("setWeights", &Method<set_weights>::call)
        .function("getBiases", &Method<get_biases>::call)
        .function("setBiases", &Method<set_biases>::call)
        .function("setData", &Method<set_data>::call)
        .function("data", &Method<data>::call)
        .function("predict", &Method<predict>::call)
        .function("stepPhase", &Method<step_phase>::call)
        .function("trainStep", &Method<train_step>::call)
        .function("trainEpoch", &Method<train_epoch>::call)
        .function("cursor", &Method<cursor>::call)
        .function("trace", &Method<trace>::call)
        .function("resumeState", &Method<resume_state>::call)
        .function("evaluate", &Method<evaluate>::call)
        .function("heatmaps", &Method<heatmaps>::call)
        .function("inputHeatmaps", &Method<input_heatmaps>::call)
        .function("snapshot", &Method<snapshot>::call)
        .function("restore", &Method<restore>::call)
        .function("gradientSizes", &Method<gradient_sizes>::call)
        .function("deadUnits", &Method<dead_units>::call)
        .function("setProbe", &Method<set_probe>::call)
        .function("probe", &Method<probe>::call)
        .function("paths", &Method<paths>::call);
}
