#pragma once
// Two doubles or four floats side by side, for the hot loops (dense layers
// over many points, tanh; floats for the heatmap grid). GCC/Clang vector
// extensions: g++ lowers them to SSE2, em++ with -msimd128 to WebAssembly's
// f64x2 and f32x4, and without it to scalar code. Each lane does exactly the
// scalar IEEE operation (no fused multiply-add, no reassociation), so the
// results equal those of scalar code, natively and in WebAssembly alike.
#include <cstdint>
#include <cstring>

namespace bplab::simd {

using f64x2 = double __attribute__((vector_size(16)));
using i64x2 = std::int64_t __attribute__((vector_size(16)));   // what comparisons give
using u64x2 = std::uint64_t __attribute__((vector_size(16)));  // bit patterns
using f32x4 = float __attribute__((vector_size(16)));
using i32x4 = std::int32_t __attribute__((vector_size(16)));
using u32x4 = std::uint32_t __attribute__((vector_size(16)));

// The same 16 bytes seen as another type.
template <class To, class From>
To reinterpret(const From& v) {
    static_assert(sizeof(To) == sizeof(From), "16 bytes either way");
    To out;
    std::memcpy(&out, &v, sizeof out);
    return out;
}

inline f64x2 splat(double v) { return f64x2{v, v}; }
inline f32x4 splat(float v) { return f32x4{v, v, v, v}; }

template <class V, class T>
V load_lanes(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline f64x2 load(const double* p) { return load_lanes<f64x2>(p); }
inline f32x4 load(const float* p) { return load_lanes<f32x4>(p); }

template <class T, class V>
void store(T* p, V v) {
    std::memcpy(p, &v, sizeof v);
}

inline u64x2 bits(f64x2 v) { return reinterpret<u64x2>(v); }
inline u32x4 bits(f32x4 v) { return reinterpret<u32x4>(v); }
inline f64x2 from_bits(u64x2 b) { return reinterpret<f64x2>(b); }
inline f32x4 from_bits(u32x4 b) { return reinterpret<f32x4>(b); }

// mask ? yes : no, lane by lane; mask lanes are all ones or all zeros (a comparison's result).
template <class Mask, class V>
V select(Mask mask, V yes, V no) {
    const auto m = reinterpret<decltype(bits(yes))>(mask);
    return from_bits((m & bits(yes)) | (~m & bits(no)));
}

// pmin: b < a ? b : a, lane by lane, a clamp of a to at most b that keeps a
// NaN; pmax: a < b ? b : a, a clamp to at least b. In WebAssembly each is one
// x86 instruction in V8, where min and max, which a select would become, take
// seven to honour their NaN and -0 rules.
#if defined(__wasm_simd128__)
inline f64x2 pmin(f64x2 a, f64x2 b) { return __builtin_wasm_pmin_f64x2(a, b); }
inline f32x4 pmin(f32x4 a, f32x4 b) { return __builtin_wasm_pmin_f32x4(a, b); }
inline f32x4 pmax(f32x4 a, f32x4 b) { return __builtin_wasm_pmax_f32x4(a, b); }
#else
template <class V>
V pmin(V a, V b) {
    return select(b < a, b, a);
}
template <class V>
V pmax(V a, V b) {
    return select(a < b, b, a);
}
#endif

}  // namespace bplab::simd
