// Nexus glue between QuickJS and the .NET host, built into a WASI reactor module by build-engine.sh.
//
// The host owns everything a handler may observe (state, time, extension outcomes); the guest reaches it only through
// one import, nexus.host_call(op, payload) -> length, followed by nexus.host_result(dst) to copy the answer in.
// A negative length -(n+1) means the host refused the call; its answer is then "CODE\nmessage" and the guest throws
// an Error carrying that code.
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

#define WASM_EXPORT(n) __attribute__((export_name(n)))
#define WASM_IMPORT(m, n) __attribute__((import_module(m), import_name(n)))

WASM_IMPORT("nexus", "host_call")
extern int32_t nexus_host_call(int32_t op, const char *payload, int32_t payload_len);
WASM_IMPORT("nexus", "host_result")
extern void nexus_host_result(char *dst);

static JSRuntime *rt;
static JSContext *ctx;
static char *out_buf;
static int32_t out_len;

// QuickJS's own allocator, plus a record of the peak and of whether the limit was ever hit: QuickJS throws null
// when it cannot even allocate the out-of-memory error, so the flag is how the host tells a memory bomb apart.
static JSMallocState *heap_state;
static size_t heap_peak;
static int32_t heap_limit_hit;

static void note_size(JSMallocState *s) {
    heap_state = s;
    if (s->malloc_size > heap_peak) heap_peak = s->malloc_size;
}

static void *nx_js_malloc(JSMallocState *s, size_t size) {
    if (s->malloc_size + size > s->malloc_limit) { heap_limit_hit = 1; return NULL; }
    void *p = malloc(size);
    if (!p) { heap_limit_hit = 1; return NULL; }
    s->malloc_count++;
    s->malloc_size += malloc_usable_size(p) + 8;
    note_size(s);
    return p;
}

static void nx_js_free(JSMallocState *s, void *p) {
    if (!p) return;
    s->malloc_count--;
    s->malloc_size -= malloc_usable_size(p) + 8;
    free(p);
}

static void *nx_js_realloc(JSMallocState *s, void *p, size_t size) {
    if (!p) return size == 0 ? NULL : nx_js_malloc(s, size);
    size_t old = malloc_usable_size(p);
    if (size == 0) { nx_js_free(s, p); return NULL; }
    if (s->malloc_size + size - old > s->malloc_limit) { heap_limit_hit = 1; return NULL; }
    void *q = realloc(p, size);
    if (!q) { heap_limit_hit = 1; return NULL; }
    s->malloc_size += malloc_usable_size(q) - old;
    note_size(s);
    return q;
}

static size_t nx_js_usable_size(const void *p) { return malloc_usable_size((void *)p); }

static const JSMallocFunctions nx_malloc_funcs = { nx_js_malloc, nx_js_free, nx_js_realloc, nx_js_usable_size };

static void set_out(const char *s, size_t len) {
    free(out_buf);
    out_buf = malloc(len + 1);
    if (!out_buf) { out_len = 0; return; }
    memcpy(out_buf, s, len);
    out_buf[len] = 0;
    out_len = (int32_t)len;
}

static JSValue throw_host_error(JSContext *c, const char *text, size_t len) {
    const char *nl = memchr(text, '\n', len);
    size_t code_len = nl ? (size_t)(nl - text) : 0;
    const char *msg = nl ? nl + 1 : text;
    size_t msg_len = nl ? len - code_len - 1 : len;
    JSValue err = JS_NewError(c);
    if (JS_IsException(err)) return err;
    JS_DefinePropertyValueStr(c, err, "message", JS_NewStringLen(c, msg, msg_len),
                              JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    if (code_len > 0)
        JS_DefinePropertyValueStr(c, err, "code", JS_NewStringLen(c, text, code_len),
                                  JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_DefinePropertyValueStr(c, err, "__nexusHostError", JS_TRUE, JS_PROP_CONFIGURABLE);
    return JS_Throw(c, err);
}

// __nexus_host_call(op: number, payload?: string) -> string
static JSValue js_host_call(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int32_t op;
    if (argc < 1 || JS_ToInt32(c, &op, argv[0])) return JS_EXCEPTION;
    size_t payload_len = 0;
    const char *payload = NULL;
    if (argc > 1 && !JS_IsUndefined(argv[1])) {
        payload = JS_ToCStringLen(c, &payload_len, argv[1]);
        if (!payload) return JS_EXCEPTION;
    }
    int32_t r = nexus_host_call(op, payload, (int32_t)payload_len);
    if (payload) JS_FreeCString(c, payload);
    int refused = r < 0;
    size_t len = (size_t)(refused ? -(r + 1) : r);
    char *buf = js_malloc(c, len + 1);
    if (!buf) return JS_EXCEPTION;
    nexus_host_result(buf);
    JSValue result = refused ? throw_host_error(c, buf, len) : JS_NewStringLen(c, buf, len);
    js_free(c, buf);
    return result;
}

WASM_EXPORT("nx_alloc") void *nx_alloc(int32_t n) { return malloc((size_t)n); }
WASM_EXPORT("nx_free") void nx_free(void *p) { free(p); }
WASM_EXPORT("nx_out_ptr") char *nx_out_ptr(void) { return out_buf; }
WASM_EXPORT("nx_out_len") int32_t nx_out_len(void) { return out_len; }

// Creates the runtime and context once, before the prelude; the host snapshots linear memory after that, so each
// run starts from a copy instead of paying for start-up. Eval is kept because JS_Eval relies on it; the prelude
// removes eval and the function constructors from handlers' reach.
WASM_EXPORT("nx_init") int32_t nx_init(void) {
    rt = JS_NewRuntime2(&nx_malloc_funcs, NULL);
    if (!rt) return -1;
    ctx = JS_NewContext(rt);
    if (!ctx) return -2;
    JSValue g = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, g, "__nexus_host_call", JS_NewCFunction(ctx, js_host_call, "__nexus_host_call", 2));
    JS_FreeValue(ctx, g);
    return 0;
}

// Sets one run's limits. mem_limit: bytes for the QuickJS heap; stack_size: bytes of C stack JS recursion may use.
// Called in the run's first frame, so the stack limit is measured from there.
WASM_EXPORT("nx_set_limits") void nx_set_limits(int32_t mem_limit, int32_t stack_size) {
    JS_SetMemoryLimit(rt, (size_t)mem_limit);
    JS_SetMaxStackSize(rt, (size_t)stack_size);
    heap_peak = heap_state ? heap_state->malloc_size : 0;
    heap_limit_hit = 0;
}

static void set_out_json(JSValue v) {
    JSValue json = JS_JSONStringify(ctx, v, JS_UNDEFINED, JS_UNDEFINED);
    if (JS_IsException(json)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        set_out("{\"name\":\"InternalError\",\"message\":\"out of memory\"}", 50);
        return;
    }
    if (JS_IsUndefined(json)) { set_out("null", 4); return; }
    size_t l;
    const char *s = JS_ToCStringLen(ctx, &l, json);
    if (s) { set_out(s, l); JS_FreeCString(ctx, s); }
    else { JS_FreeValue(ctx, JS_GetException(ctx)); set_out("{\"name\":\"InternalError\",\"message\":\"out of memory\"}", 50); }
    JS_FreeValue(ctx, json);
}

static void copy_prop(JSValue from, JSValue to, const char *name) {
    JSValue v = JS_GetPropertyStr(ctx, from, name);
    if (JS_IsException(v)) { JS_FreeValue(ctx, JS_GetException(ctx)); return; }
    if (JS_IsUndefined(v)) return;
    JSValue s = JS_ToString(ctx, v);
    JS_FreeValue(ctx, v);
    if (JS_IsException(s)) { JS_FreeValue(ctx, JS_GetException(ctx)); return; }
    JS_SetPropertyStr(ctx, to, name, s);
}

// Describes the pending exception as JSON {name, message, stack, code} in out.
static void exception_to_out(void) {
    JSValue e = JS_GetException(ctx);
    if (!JS_IsObject(e)) {
        // QuickJS throws null when even the out-of-memory error cannot be allocated.
        JSValue d = JS_NewObject(ctx);
        if (JS_IsNull(e) || JS_IsException(d)) {
            set_out("{\"name\":\"InternalError\",\"message\":\"out of memory\"}", 50);
        } else {
            JSValue s = JS_ToString(ctx, e);
            if (JS_IsException(s)) JS_FreeValue(ctx, JS_GetException(ctx));
            else JS_SetPropertyStr(ctx, d, "message", s);
            set_out_json(d);
        }
        JS_FreeValue(ctx, d);
        JS_FreeValue(ctx, e);
        return;
    }
    JSValue d = JS_NewObject(ctx);
    copy_prop(e, d, "name");
    copy_prop(e, d, "message");
    copy_prop(e, d, "stack");
    copy_prop(e, d, "code");
    set_out_json(d);
    JS_FreeValue(ctx, d);
    JS_FreeValue(ctx, e);
}

// Evaluates a global script named `file`, runs every pending job, and leaves JSON of the script's value in out.
// Returns 0 on success, 1 when the script threw, 2 when a pending job threw (out then describes the error).
WASM_EXPORT("nx_eval") int32_t nx_eval(const char *src, int32_t len, const char *file) {
    JSValue v = JS_Eval(ctx, src, (size_t)len, file, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT);
    if (JS_IsException(v)) { exception_to_out(); return 1; }
    JSContext *c1;
    for (;;) {
        int r = JS_ExecutePendingJob(rt, &c1);
        if (r == 0) break;
        if (r < 0) { JS_FreeValue(ctx, v); exception_to_out(); return 2; }
    }
    set_out_json(v);
    JS_FreeValue(ctx, v);
    return 0;
}

// The QuickJS heap: bytes held now, the most ever held, and whether an allocation was refused.
WASM_EXPORT("nx_heap_used") int32_t nx_heap_used(void) { return heap_state ? (int32_t)heap_state->malloc_size : 0; }
WASM_EXPORT("nx_heap_peak") int32_t nx_heap_peak(void) { return (int32_t)heap_peak; }
WASM_EXPORT("nx_heap_limit_hit") int32_t nx_heap_limit_hit(void) { return heap_limit_hit; }
