#pragma once
// Adapters between JS values and the engine. Every entry point checks its
// arguments (types, ranges, lengths before anything is copied) and catches every
// C++ exception, returning it as { error: { code, field, message } }: an
// exception that crossed into JS would leak wasm memory on each throw.
// index.mjs hands over plain data only: numbers, strings, plain objects and
// Float64Array / Uint8Array (it converts arrays of numbers itself).
#include <memory>
#include <vector>

#include <emscripten/val.h>

#include "bplab/config.hpp"
#include "bplab/trainer.hpp"

namespace bplab::wasm {

using emscripten::val;

// Reads a JS config object and validates it: every problem, reading or
// validation, lands in problems, each once.
TrainerConfig config_from_js(const val& js, std::vector<ConfigProblem>& problems);
// The complete config, defaults filled in, in the shape createTrainer accepts.
val config_to_js(const TrainerConfig& config);

class TrainerHandle {
public:
    val init(val config);
    val reconfigure(val config);
    val config() const;
    val layer_sizes() const;
    val get_weights(val layer) const;
    val set_weights(val layer, val values);
    val get_biases(val layer) const;
    val set_biases(val layer, val values);
    val set_data(val x, val y, val n);
    val data() const;
    val predict(val x, val n);
    val step_phase();
    val train_step();
    val train_epoch();
    val cursor() const;
    val trace(val layer) const;
    val evaluate();
    val heatmaps(val res, val x_min, val x_max, val y_min, val y_max);
    val input_heatmaps(val res, val x_min, val x_max, val y_min, val y_max);
    val snapshot() const;
    val restore(val bytes);
    val gradient_sizes() const;
    val set_probe(val index);
    val probe() const;
    val paths(val layer, val to, val from, val sample, val limit) const;

private:
    Trainer& engine() const;
    std::size_t layer_arg(const val& layer) const;
    std::unique_ptr<Trainer> trainer_;
};

// { version, heapUsed }: heapUsed is mallinfo's bytes in use.
val engine_info();
// The registries: every name the config accepts, per kind.
val names();
val limits();
// { config } complete with defaults, or { error } listing every problem.
val resolve_config(val config);
// f(z) and f'(z) over the array z, with the engine's own activation functions.
val activation_values(val name, val z, val alpha);
// softmax of one row of scores.
val softmax_values(val scores);
// A loss over n samples of `units` outputs, as training computes it.
val loss_values(val name, val outputs, val targets, val logits, val units);
// The optimizer race: a surface's frame and start, its values over a grid, and
// a descent from a start point with the engine's own optimizer step.
val surface_view_value(val name);
val surface_grid_values(val name, val res, val x_min, val x_max, val y_min, val y_max);
val descend_surface_values(val name, val optimizer, val start, val steps);
// The rate of each epoch under a schedule, stepped as training steps it.
val schedule_rates(val schedule, val lr, val epochs, val losses);

}  // namespace bplab::wasm
