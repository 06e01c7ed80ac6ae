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

inline f64x2 splat(double v) { return f64x2{v, v}; }

inline f64x2 load(const double* p) {
    f64x2 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(double* p, f64x2 v) { std::memcpy(p, &v, sizeof v); }

inline u64x2 bits(f64x2 v) {
    u64x2 b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

inline f64x2 from_bits(u64x2 b) {
    f64x2 v;
    std::memcpy(&v, &b, sizeof v);
    return v;
}

// mask ? yes : no, lane by lane; mask lanes are all ones or all zeros (a comparison's result).
inline f64x2 select(i64x2 mask, f64x2 yes, f64x2 no) {
    u64x2 m;
    std::memcpy(&m, &mask, sizeof m);
    return from_bits((m & bits(yes)) | (~m & bits(no)));
}

// b < a ? b : a, lane by lane: a clamp of a to at most b that keeps a NaN.
inline f64x2 pmin(f64x2 a, f64x2 b) {
#if defined(__wasm_simd128__)
    // f64x2.pmin is one x86 instruction in V8; f64x2.min, which a select
    // would become, takes seven to honour its NaN and -0 rules.
    return __builtin_wasm_pmin_f64x2(a, b);
#else
    return select(b < a, b, a);
#endif
}

// The same for four floats.
inline f32x4 splat(float v) { return f32x4{v, v, v, v}; }

inline f32x4 load(const float* p) {
    f32x4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }

inline u32x4 bits(f32x4 v) {
    u32x4 b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

inline f32x4 from_bits(u32x4 b) {
    f32x4 v;
    std::memcpy(&v, &b, sizeof v);
    return v;
}

inline f32x4 select(i32x4 mask, f32x4 yes, f32x4 no) {
    u32x4 m;
    std::memcpy(&m, &mask, sizeof m);
    return from_bits((m & bits(yes)) | (~m & bits(no)));
}

inline f32x4 pmin(f32x4 a, f32x4 b) {
#if defined(__wasm_simd128__)
    return __builtin_wasm_pmin_f32x4(a, b);
#else
    return select(b < a, b, a);
#endif
}

// a < b ? b : a, lane by lane: a clamp of a to at least b that keeps a NaN.
inline f32x4 pmax(f32x4 a, f32x4 b) {
#if defined(__wasm_simd128__)
    return __builtin_wasm_pmax_f32x4(a, b);
#else
    return select(a < b, b, a);
#endif
}

}  // namespace bplab::simd
