#pragma once
// Adapters between JS values and the engine: conversions only. Every entry
// point checks its arguments (types and lengths, before anything is copied)
// and catches every C++ exception, returning it as { error: { code, field,
// message } }: an exception that crossed into JS would leak wasm memory.
// index.mjs hands over plain data: numbers, strings, plain objects and
// Float64Array / Uint8Array.
#include <memory>

#include <emscripten/val.h>

#include "bplab/trainer.hpp"

namespace bplab::wasm {

using emscripten::val;

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
    // What training will do next, for an exported script: torch's optimizer and scheduler
    // state, the current epoch's running loss, and the orders of `epochs` epochs.
    val resume_state(val epochs) const;
    val evaluate();
    val heatmaps(val res, val x_min, val x_max, val y_min, val y_max);
    val input_heatmaps(val res, val x_min, val x_max, val y_min, val y_max);
    val snapshot() const;
    val restore(val bytes);
    val gradient_sizes() const;
    val dead_units() const;
    val set_probe(val index);
    val probe() const;
    val paths(val layer, val to, val from, val sample, val limit) const;

private:
    Trainer& engine() const;
    std::size_t layer_arg(const val& layer) const;
    std::unique_ptr<Trainer> trainer_;
};

val engine_info();    // { version, heapUsed }: heapUsed is mallinfo's bytes in use
val names();          // every name the config accepts, per kind
val limits();         // the engine's bounds
val settings();       // the optimizer and schedule settings tables
val resolve_config(val config);  // { config } complete with defaults, or { error } listing every problem
val activation_values(val name, val z, val alpha);
val softmax_values(val scores);
val loss_values(val name, val outputs, val targets, val logits, val units);
val surface_view_value(val name);
val surface_grid_values(val name, val res, val x_min, val x_max, val y_min, val y_max);
val descend_surface_values(val name, val optimizer, val start, val steps);
val schedule_rates(val schedule, val lr, val epochs, val losses);

}  // namespace bplab::wasm
