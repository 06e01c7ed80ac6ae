// Embind declarations only; the work is in adapters.cpp.
#include <emscripten/bind.h>

#include "adapters.hpp"

EMSCRIPTEN_BINDINGS(backprop_lab) {
    using namespace bplab::wasm;
    emscripten::function("engineInfo", &engine_info);
    emscripten::function("names", &names);
    emscripten::function("limits", &limits);
    emscripten::function("settings", &settings);
    emscripten::function("resolveConfig", &resolve_config);
    emscripten::function("activation", &activation_values);
    emscripten::function("softmax", &softmax_values);
    emscripten::function("loss", &loss_values);
    emscripten::function("surfaceView", &surface_view_value);
    emscripten::function("surfaceGrid", &surface_grid_values);
    emscripten::function("descendSurface", &descend_surface_values);
    emscripten::function("scheduleRates", &schedule_rates);
    emscripten::class_<TrainerHandle>("TrainerHandle")
        .constructor<>()
        .function("init", &TrainerHandle::init)
        .function("reconfigure", &TrainerHandle::reconfigure)
        .function("config", &TrainerHandle::config)
        .function("layerSizes", &TrainerHandle::layer_sizes)
        .function("getWeights", &TrainerHandle::get_weights)
        .function("setWeights", &TrainerHandle::set_weights)
        .function("getBiases", &TrainerHandle::get_biases)
        .function("setBiases", &TrainerHandle::set_biases)
        .function("setData", &TrainerHandle::set_data)
        .function("data", &TrainerHandle::data)
        .function("predict", &TrainerHandle::predict)
        .function("stepPhase", &TrainerHandle::step_phase)
        .function("trainStep", &TrainerHandle::train_step)
        .function("trainEpoch", &TrainerHandle::train_epoch)
        .function("cursor", &TrainerHandle::cursor)
        .function("trace", &TrainerHandle::trace)
        .function("resumeState", &TrainerHandle::resume_state)
        .function("evaluate", &TrainerHandle::evaluate)
        .function("heatmaps", &TrainerHandle::heatmaps)
        .function("inputHeatmaps", &TrainerHandle::input_heatmaps)
        .function("snapshot", &TrainerHandle::snapshot)
        .function("restore", &TrainerHandle::restore)
        .function("gradientSizes", &TrainerHandle::gradient_sizes)
        .function("deadUnits", &TrainerHandle::dead_units)
        .function("setProbe", &TrainerHandle::set_probe)
        .function("probe", &TrainerHandle::probe)
        .function("paths", &TrainerHandle::paths);
}
