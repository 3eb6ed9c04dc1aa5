#!/usr/bin/env python3
"""The adversarial corpus: malformed and hostile inputs for every loader and flag of trainplan.

Generates each case (its files under a work folder, its command line, the words its error must
name), runs the built binary on it with a time limit, and checks what the README promises for bad
input: exit status 2 and one line on stderr, "trainplan CMD: error: ...", naming the file or flag
and the field. No case may crash, hang, print an internal error (exit 3) or exit 0.

  corpus.py --trainplan build/planner/trainplan [--work DIR] [--jobs 2] [--list] [--only SUBSTRING]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------------------------------------
# Valid documents the cases mutate.

MODEL = {"name": "tiny", "layers": 4, "hidden": 512, "heads": 8, "kv_heads": 8, "ffn": 2048, "mlp": "swiglu",
         "vocab": 32000, "provenance": {"kind": "assumption", "source": "corpus"}}
MOE_MODEL = dict(MODEL, name="tiny-moe", moe={"routed_experts": 8, "top_k": 2, "expert_ffn": 1024})
GPU = {"name": "corpus-gpu", "bf16_dense_tflops": 989.4, "fp8_dense_tflops": 1978.9, "hbm_gib": 80, "hbm_tb_s": 3.35,
       "nvlink_gb_s_per_direction": 450, "tdp_w": 700, "provenance": {"kind": "assumption", "source": "corpus"}}
TOPOLOGY = {"name": "corpus-fabric", "provenance": {"kind": "assumption", "source": "corpus"},
            "scale_up": {"gpus": 8, "gb_s_per_direction": 450}, "nics_per_gpu": 1, "nic_gbit_s": 400,
            "rail_optimized": True,
            "tiers": {"leaf": {"switch_radix": 64, "ports_down": 32, "ports_up": 32},
                      "spine": {"switch_radix": 64, "ports_down": 64, "ports_up": 0}}}
HF = {"architectures": ["LlamaForCausalLM"], "hidden_size": 512, "intermediate_size": 2048, "num_attention_heads": 8,
      "num_hidden_layers": 4, "num_key_value_heads": 8, "vocab_size": 32000}
PROBE_GEMM = {"schema": "trainplan-probe/1", "probe": "gemm", "complete": True,
              "provenance": {"kind": "measured", "hosts": ["h1"], "gpu": {"model": "H100"}},
              "results": [{"dtype": "bf16", "flops": 1e12, "tflops": {"median": 700}}]}
PROBE_COMM = {"schema": "trainplan-probe/1", "probe": "comm", "complete": True,
              "provenance": {"kind": "measured", "backend": "nccl", "hosts": ["h1", "h2"], "gpu": {"model": "H100"}},
              "results": [{"collective": "all_reduce", "level": "inter_node", "group_ranks": 16, "ranks_per_node": 8,
                           "bytes": 1048576, "busbw_gb_s": 40}]}
NCCL_TESTS = {"version": 3, "args": ["./all_reduce_perf", "-b", "8", "-e", "1G"], "nccl_version": 22105,
              "config": {"nthreads": 1, "ngpus": 1, "devices": [{"hostname": "h1", "device_info": "H100"},
                                                                  {"hostname": "h2", "device_info": "H100"}]},
              "results": [{"size": 1048576, "out_of_place": {"bus_bw": 40.0}}]}
ECONOMICS = {"energy": {"pue": 1.2}}
SLURM_OK = "SwitchName=leaf1 Nodes=node[1-4]\nSwitchName=leaf2 Nodes=node[5-8]\nSwitchName=spine Switches=leaf1,leaf2\n"
VALIDATION = {"groups": [{"name": "g", "source": "corpus", "metric": "step_time_s", "gpu": "h100-sxm",
                          "model_preset": "llama3-8b",
                          "plan": {"gpus": 8, "tp": 8, "global_batch": 8, "seq_len": 2048},
                          "cases": [{"name": "c", "published": 1.0}]}]}

# A plan that runs fast: the small bundled model on 8 GPUs.
PLAN = ["plan", "--model", "llama3-8b", "--gpus", "8", "--tp", "8", "--global-batch", "8", "--seq-len", "2048"]

# Values that no count or physical quantity accepts, and what is wrong with each.
NOT_NUMBERS = ["abc", "[]", "{}", "nan", "inf", "-inf", "1e400", "", "1,5e3x", "true"]
HUGE = ["4294967296", "4294967297", "2147483648", "9223372036854775808", "1e18", "1e308", "1e308T"]
NEGATIVE = ["-1", "-4294967296", "-1e-300"]


def bad_values(low, high, whole=True):
    """Text values outside [low, high] or not numbers at all (deduplicated, each surely bad)."""
    values = list(NOT_NUMBERS)
    for v in HUGE + NEGATIVE + ["0", "1e-300", "0.5", "1.5"]:
        try:
            x = float(v.rstrip("T")) * (1e12 if v.endswith("T") else 1)
        except ValueError:
            continue
        if x < low or x > high or (whole and x != int(x)) or x != x:
            values.append(v)
    return list(dict.fromkeys(values))


def yaml_value(text):
    """A YAML scalar (or the list/map) for a value of the tables above."""
    if text in ("[]", "{}"):
        return text
    return json.dumps(text) if text == "" else text


def dump_yaml(doc, indent=0):
    """Minimal YAML writer: mappings, lists and scalars written as given (strings raw)."""
    pad = "  " * indent
    lines = []
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(dump_yaml(value, indent + 1) if value else f"{pad}  {{}}")
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: {json.dumps(value)}")
        elif isinstance(value, bool):
            lines.append(f"{pad}{key}: {'true' if value else 'false'}")
        elif isinstance(value, RawText):
            lines.append(f"{pad}{key}: {value.text}")
        else:
            lines.append(f"{pad}{key}: {value}")
    return "\n".join(lines)


class RawText:
    def __init__(self, text):
        self.text = text


def with_field(doc, path, value):
    """A deep copy of doc with doc[path...] = value (RawText: written as is)."""
    doc = json.loads(json.dumps(doc))
    node = doc
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return doc


# ---------------------------------------------------------------------------------------------
# Cases: (name, files {name: text or bytes}, args with {dir} for the work folder, words stderr names).

def build_cases():
    cases = []

    seen = set()

    def add(name, args, words, files=None, special=None):
        if name in seen:  # the same value from two tables
            return
        seen.add(name)
        cases.append({"name": name, "args": args, "words": words, "files": files or {}, "special": special})

    # -- model YAML: every count and its range (planner/io/input_limits.hpp) --
    model_ranges = {"layers": (1, 10000), "hidden": (1, 2**20), "heads": (1, 65536), "kv_heads": (1, 8),
                    "head_dim": (0, 65536), "ffn": (1, 2**24), "vocab": (1, 2**27), "learned_positions": (0, 2**24),
                    "mtp_layers": (0, 64), "training_seq_len": (0, 2**24)}
    for field, (low, high) in model_ranges.items():
        for v in bad_values(low, high)[::2]:
            add(f"model-{field}-{v}", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", field],
                {"model.yaml": dump_yaml(with_field(MODEL, field, RawText(yaml_value(v))))})
    moe_ranges = {"moe.routed_experts": (2, 65536), "moe.top_k": (1, 8), "moe.expert_ffn": (1, 2**24),
                  "moe.shared_experts": (0, 1024), "moe.first_dense_layers": (0, 3)}
    for field, (low, high) in moe_ranges.items():
        for v in bad_values(low, high)[::2]:
            add(f"model-{field}-{v}", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", field.split(".")[1]],
                {"model.yaml": dump_yaml(with_field(MOE_MODEL, field, RawText(yaml_value(v))))})
    for field, v in [("moe.capacity_factor", "1e308"), ("moe.capacity_factor", "1e-300"), ("moe.load_imbalance", "0.5"),
                     ("moe.load_imbalance", "1e308"), ("mlp", "relu"), ("attention", "sparse"), ("name", "[1, 2]"),
                     ("tied_embeddings", "maybe"), ("moe", "[1, 2]"), ("provenance", "[]")]:
        add(f"model-{field}-{v}", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", field.split(".")[-1]],
            {"model.yaml": dump_yaml(with_field(MOE_MODEL, field, RawText(v)))})
    # cross-field checks
    for name, changes, field in [("heads-vs-kv", {"heads": 8, "kv_heads": 3}, "kv_heads"),
                                 ("kv-above-heads", {"heads": 8, "kv_heads": 16}, "kv_heads"),
                                 ("heads-vs-hidden", {"hidden": 500, "heads": 8}, "heads"),
                                 ("topk-above-experts", {"moe": {"routed_experts": 4, "top_k": 8, "expert_ffn": 64}}, "top_k"),
                                 ("groups-hold-too-few", {"moe": {"routed_experts": 16, "top_k": 8, "expert_ffn": 64,
                                                                  "expert_groups": 8, "groups_per_token": 1}}, "groups_per_token"),
                                 ("groups-not-dividing", {"moe": {"routed_experts": 16, "top_k": 2, "expert_ffn": 64,
                                                                  "expert_groups": 3, "groups_per_token": 1}}, "expert_groups"),
                                 ("dense-layers-all", {"moe": {"routed_experts": 8, "top_k": 2, "expert_ffn": 64,
                                                               "first_dense_layers": 4}}, "first_dense_layers"),
                                 ("mla-missing", {"attention": "mla"}, "mla"),
                                 ("chunk-with-window", {"attention_chunk": 1024, "attention_window": 128}, "attention_chunk"),
                                 ("unknown-key", {"layerz": 4}, "layerz"),
                                 ("unknown-moe-key", {"moe": {"routed_experts": 8, "top_k": 2, "expert_ffn": 64, "topk": 2}}, "topk"),
                                 ("qk-norm-choice", {"qk_norm": "sometimes"}, "qk_norm"),
                                 ("qk-norm-list", {"qk_norm": ["per_head"]}, "qk_norm"),
                                 ("qkv-biases-number", {"qkv_biases": 2}, "qkv_biases"),
                                 ("sandwich-norms-map", {"sandwich_norms": {"a": 1}}, "sandwich_norms")]:
        doc = json.loads(json.dumps(MODEL))
        doc.update(changes)
        add(f"model-cross-{name}", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", field],
            {"model.yaml": json.dumps(doc)})
    # structure: duplicates, bad UTF-8, nesting, keys that are lists, not a mapping
    add("model-duplicate-key", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", "layers", "twice"],
        {"model.yaml": dump_yaml(MODEL) + "\nlayers: 64\n"})
    add("model-bad-utf8-name", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:] + ["--format", "json"], ["model.yaml", "name", "UTF-8"],
        {"model.yaml": dump_yaml(dict(MODEL, name=RawText("x"))).encode().replace(b"name: x", b"name: \xff\xfe")})
    add("model-deep-nesting", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", "nested"],
        {"model.yaml": "notes: " + "[" * 100 + "]" * 100 + "\n" + dump_yaml(MODEL)})
    add("model-list-key", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", "key"],
        {"model.yaml": "? [a, b]\n: 1\n" + dump_yaml(MODEL)})
    add("model-not-a-map", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", "mapping"], {"model.yaml": "[1, 2, 3]\n"})
    add("model-empty-file", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml"], {"model.yaml": ""})
    add("model-binary", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml"], {"model.yaml": bytes(range(256)) * 4})
    add("model-many-keys", PLAN[:2] + ["{dir}/model.yaml"] + PLAN[3:], ["model.yaml", "keys"],
        {"model.yaml": "".join(f"k{i}: {i}\n" for i in range(20000))})

    # -- Hugging Face config.json --
    hf_ranges = {"num_hidden_layers": ("layers", 1, 10000), "hidden_size": ("hidden", 1, 2**20),
                 "num_attention_heads": ("heads", 1, 65536), "num_key_value_heads": ("kv_heads", 1, 8),
                 "intermediate_size": ("ffn", 1, 2**24), "vocab_size": ("vocab", 1, 2**27)}
    for key, (field, low, high) in hf_ranges.items():
        for v in bad_values(low, high)[::2]:
            text = json.dumps(HF).replace(f'"{key}": {HF[key]}', f'"{key}": {json.dumps(v) if v in ("", "abc", "nan", "inf", "-inf", "0x10", "1,5e3x", "true", "1e308T") else v}')
            # Refused as the config's key, or after conversion as trainplan's field: either names it.
            add(f"hf-{key}-{v}", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", (key, field)], {"config.json": text})
    add("hf-duplicate-layers", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", "num_hidden_layers", "twice"],
        {"config.json": json.dumps(HF)[:-1] + ', "num_hidden_layers": 64}'})
    add("hf-architectures-map", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", "architectures"],
        {"config.json": json.dumps(dict(HF, architectures=[{"a": 1}]))})
    add("hf-unknown-architecture", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", "architectures"],
        {"config.json": json.dumps(dict(HF, architectures=["GPT9000"]))})
    add("hf-truncated", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", "line"], {"config.json": json.dumps(HF)[:40]})
    # Architecture-specific fields (MoE, window patterns, current open families): each wrong type or
    # impossible value is refused naming the config's field, never an uncaught conversion (exit 3).
    qwen_moe = dict(HF, architectures=["Qwen2MoeForCausalLM"], num_experts=8, num_experts_per_tok=2, moe_intermediate_size=256,
                    shared_expert_intermediate_size=512)
    qwen3_moe = dict(HF, architectures=["Qwen3MoeForCausalLM"], num_experts=8, num_experts_per_tok=2, moe_intermediate_size=256)
    gemma3 = dict(HF, architectures=["Gemma3ForCausalLM"], head_dim=64, sliding_window=128, sliding_window_pattern=2)
    gemma2 = dict(HF, architectures=["Gemma2ForCausalLM"], head_dim=64, sliding_window=128)
    gpt_oss = dict(HF, architectures=["GptOssForCausalLM"], num_local_experts=8, num_experts_per_tok=2, sliding_window=128,
                   layer_types=["sliding_attention", "full_attention"] * 2)
    deepseek2 = dict(HF, architectures=["DeepseekV2ForCausalLM"], n_routed_experts=8, n_shared_experts=1, num_experts_per_tok=2,
                     moe_intermediate_size=256, first_k_dense_replace=1, q_lora_rank=None, kv_lora_rank=64, qk_nope_head_dim=32,
                     qk_rope_head_dim=16, v_head_dim=32)
    olmoe = dict(HF, architectures=["OlmoeForCausalLM"], num_experts=8, num_experts_per_tok=2)
    phi3 = dict(HF, architectures=["Phi3ForCausalLM"], sliding_window=128, max_position_embeddings=4096)
    qwen2 = dict(HF, architectures=["Qwen2ForCausalLM"], sliding_window=128, use_sliding_window=False, max_window_layers=4)
    llama4 = dict(HF, architectures=["Llama4ForCausalLM"], num_local_experts=8, num_experts_per_tok=1, interleave_moe_layer_step=2,
                  intermediate_size_mlp=2048, attention_chunk_size=1024)
    family_cases = [
        ("qwen2moe-shared-not-multiple", qwen_moe, "shared_expert_intermediate_size", 300),
        ("qwen2moe-shared-text", qwen_moe, "shared_expert_intermediate_size", "abc"),
        ("qwen2moe-shared-huge", qwen_moe, "shared_expert_intermediate_size", 256 * 4096),
        ("qwen2moe-experts-list", qwen_moe, "num_experts", [8]),
        ("qwen2moe-expert-width-zero", qwen_moe, "moe_intermediate_size", 0),
        ("qwen2moe-sparse-step-neg", qwen_moe, "decoder_sparse_step", -1),
        ("qwen2moe-mlp-only-map", qwen_moe, "mlp_only_layers", {"a": 1}),
        ("qwen2moe-mlp-only-entry-list", qwen_moe, "mlp_only_layers", [[0]]),
        ("qwen2moe-mlp-only-entry-text", qwen_moe, "mlp_only_layers", [0, "one"]),
        ("qwen2moe-mlp-only-gap", qwen_moe, "mlp_only_layers", [1]),
        ("qwen2moe-mlp-only-huge", qwen_moe, "mlp_only_layers", [4294967296]),
        ("qwen3moe-mlp-only-entry-map", qwen3_moe, "mlp_only_layers", [{"a": 1}]),
        ("qwen3moe-mlp-only-scalar", qwen3_moe, "mlp_only_layers", 3),
        ("qwen2-use-sliding-text", qwen2, "use_sliding_window", "maybe"),
        ("qwen2-window-layers-middle", dict(qwen2, use_sliding_window=True), "max_window_layers", 2),
        ("qwen2-window-layers-text", dict(qwen2, use_sliding_window=True), "max_window_layers", "x"),
        ("qwen2-window-missing", dict(qwen2, use_sliding_window=True, max_window_layers=0, sliding_window=None), "sliding_window", None),
        ("qwen2-window-zero", dict(qwen2, use_sliding_window=True, max_window_layers=0), "sliding_window", 0),
        ("qwen2-layer-types-entry", qwen2, "layer_types", ["full_attention", 7, "full_attention", "full_attention"]),
        ("gemma3-pattern-text", gemma3, "sliding_window_pattern", "six"),
        ("gemma3-pattern-zero", gemma3, "sliding_window_pattern", 0),
        ("gemma3-pattern-huge", gemma3, "sliding_window_pattern", 4294967298),
        ("gemma3-window-negative", gemma3, "sliding_window", -5),
        ("gemma3-window-list", gemma3, "sliding_window", [128]),
        ("gemma3-layer-types-short", gemma3, "layer_types", ["sliding_attention", "full_attention"]),
        ("gemma3-layer-types-name", gemma3, "layer_types", ["sliding_attention", "chunked_attention"] * 2),
        ("gemma3-layer-types-empty-name", gemma3, "layer_types", ["", "full_attention"] * 2),
        ("gemma3-layer-types-irregular", gemma3, "layer_types", ["full_attention", "sliding_attention", "sliding_attention", "full_attention"]),
        ("gemma3-layer-types-map", gemma3, "layer_types", {"0": "full_attention"}),
        ("gemma2-tied-text", gemma2, "tie_word_embeddings", "sometimes"),
        ("gemma2-head-dim-zero", gemma2, "head_dim", 0),
        ("gpt-oss-layer-types-null-entry", gpt_oss, "layer_types", [None, "full_attention"] * 2),
        ("gpt-oss-layer-types-nested", gpt_oss, "layer_types", [["sliding_attention"], "full_attention"] * 2),
        ("deepseek2-layer-freq", deepseek2, "moe_layer_freq", 2),
        ("deepseek2-layer-freq-text", deepseek2, "moe_layer_freq", "every"),
        ("deepseek2-q-lora-list", deepseek2, "q_lora_rank", [1536]),
        ("deepseek2-kv-lora-missing", deepseek2, "kv_lora_rank", None),
        ("deepseek2-groups-text", deepseek2, "n_group", "eight"),
        ("olmoe-experts-zero", olmoe, "num_experts", 0),
        ("olmoe-topk-map", olmoe, "num_experts_per_tok", {"k": 2}),
        ("phi3-window-text", phi3, "sliding_window", "wide"),
        ("phi3-context-zero", phi3, "max_position_embeddings", 0),
        ("llama4-chunk-text", llama4, "attention_chunk_size", "wide"),
        ("llama4-chunk-negative", llama4, "attention_chunk_size", -8192),
        ("llama4-no-rope-short", llama4, "no_rope_layers", [1, 1, 1]),
        ("llama4-no-rope-entry", llama4, "no_rope_layers", [1, 1, 2, 0]),
        ("llama4-no-rope-irregular", llama4, "no_rope_layers", [0, 1, 1, 0]),
        ("llama4-no-rope-interval-zero", llama4, "no_rope_layer_interval", 0),
    ]
    for name, doc, key, value in family_cases:
        add(f"hf-{name}", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", key],
            {"config.json": json.dumps(dict(doc, **{key: value}))})
    add("hf-text-config-not-map", PLAN[:2] + ["{dir}/config.json"] + PLAN[3:], ["config.json", "text_config"],
        {"config.json": json.dumps(dict(HF, text_config=[1, 2]))})

    # -- GPU YAML --
    gpu_ranges = {"bf16_dense_tflops": (1, 1e5), "hbm_gib": (1, 65536), "hbm_tb_s": (0.01, 1000), "tdp_w": (10, 1e5),
                  "nvlink_gb_s_per_direction": (0, 1e5), "streaming_multiprocessors": (0, 100000), "nvlink_domain_gpus": (0, 576)}
    for field, (low, high) in gpu_ranges.items():
        whole = field in ("streaming_multiprocessors", "nvlink_domain_gpus")
        for v in bad_values(low, high, whole)[::2]:
            add(f"gpu-{field}-{v}", PLAN + ["--gpu", "{dir}/gpu.yaml"], ["gpu.yaml", field],
                {"gpu.yaml": dump_yaml(with_field(GPU, field, RawText(yaml_value(v))))})
    for field, v in [("fp8_dense_tflops", "1e-300"), ("fp8_dense_tflops", "1e308"), ("nvlink_domain_gpus", "7"), ("attention_kernels", "{flash2: 2, provenance: {kind: published, source: s}}"),
                     ("host", "{link_gb_s_per_direction: 0, memory_gib: 100, provenance: {kind: published, source: s}}"),
                     ("host", "{link_gb_s_per_direction: 64, memory_gib: 0.5, provenance: {kind: published, source: s}}"),
                     ("host", "{link_gb_s_per_direction: 64, memory_gib: 100}"), ("host", "[64, 100]"),
                     ("provenance", "{kind: guessed, source: s}")]:
        add(f"gpu-{field}-{v}", PLAN + ["--gpu", "{dir}/gpu.yaml"], ["gpu.yaml"], {"gpu.yaml": dump_yaml(with_field(GPU, field, RawText(v)))})

    # -- topology YAML --
    topo_fields = {"scale_up.gpus": ("gpus", 1, 576, True), "scale_up.gb_s_per_direction": ("gb_s_per_direction", 0.1, 1e6, False),
                   "nics_per_gpu": ("nics_per_gpu", 1, 64, True), "nic_gbit_s": ("nic_gbit_s", 1, 1e7, False),
                   "planes": ("planes", 1, 64, True), "routing_efficiency": ("routing_efficiency", 0.01, 1, False),
                   "tiers.leaf.switch_radix": ("switch_radix", 64, 65536, True),
                   "tiers.leaf.ports_down": ("ports_down", 1, 32, True), "tiers.leaf.ports_up": ("ports_up", 0, 32, True),
                   "tiers.spine.max_gpus": ("max_gpus", 0, 2**30, True), "tiers.leaf.hop_latency_us": ("hop_latency_us", 0, 1e6, False),
                   "scale_up.gpus_per_host": ("gpus_per_host", 0, 576, True),
                   "hash_polarization": ("hash_polarization", 0, 0.99, False)}
    for path, (field, low, high, whole) in topo_fields.items():
        for v in bad_values(low, high, whole)[::2]:
            add(f"topology-{path}-{v}", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", field],
                {"fabric.yaml": dump_yaml(with_field(TOPOLOGY, path, RawText(yaml_value(v))))})
    add("topology-ports-overflow", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "ports"],
        {"fabric.yaml": dump_yaml(with_field(TOPOLOGY, "tiers.leaf", {"switch_radix": 64, "ports_down": 2147483647, "ports_up": 2147483647}))})
    many = dict(TOPOLOGY)
    many["tiers"] = {f"t{i}": {"switch_radix": 65536, "ports_down": 32768, "ports_up": 32768} for i in range(12)}
    add("topology-12-tiers-radix-65536", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "tiers"],
        {"fabric.yaml": dump_yaml(many)})
    add("topology-no-tiers", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "tiers"],
        {"fabric.yaml": dump_yaml(with_field(TOPOLOGY, "tiers", RawText("{}")))})
    # -- placement: rank orders and site (DCI) tiers --
    for name, order in [("repeated", "tp-cp-tp-dp-pp"), ("missing-pp", "tp-cp-ep-dp"), ("unknown", "tp-xp-dp-pp"),
                        ("empty", ""), ("double-dash", "tp--dp-pp"), ("spaces", "tp cp ep dp pp")]:
        if order:  # an empty flag value is "not given" for every flag; --set below refuses it
            add(f"rank-order-{name}", PLAN + ["--rank-order", order], ["--rank-order"])
        add(f"rank-order-set-{name}", PLAN + ["--set", f"plan.rank_order={order}"], ["rank_order"])
    add("rank-order-leaves-out-cp", ["plan", "--model", "llama3-8b", "--gpus", "16", "--tp", "8", "--cp", "2",
                                     "--global-batch", "8", "--seq-len", "2048", "--rank-order", "tp-pp-dp"], ["--rank-order", "cp"])
    sites = dict(TOPOLOGY)
    sites["tiers"] = {"leaf": {"switch_radix": 64, "ports_down": 32, "ports_up": 32},
                      "spine": {"switch_radix": 64, "ports_down": 32, "ports_up": 8, "max_gpus": 1024},
                      "dci": {"switch_radix": 64, "sites": 2, "hop_latency_us": 500}}
    for path, value, field in [("tiers.dci.sites", "1", "sites"), ("tiers.dci.sites", "65", "sites"), ("tiers.dci.sites", "two", "sites"),
                               ("tiers.dci.cost_usd_per_link", "-5", "cost_usd_per_link"),
                               ("tiers.spine.cost_usd_per_link", "100", "cost_usd_per_link"),
                               ("tiers.spine.max_gpus", "0", "max_gpus"), ("tiers.spine.ports_up", "0", "ports_up")]:
        add(f"topology-site-{path}-{value}", ["topo", "--gpus", "2048", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", field],
            {"fabric.yaml": dump_yaml(with_field(sites, path, RawText(yaml_value(value))))})
    not_top = dict(sites)
    not_top["tiers"] = dict(sites["tiers"], core={"switch_radix": 64})
    add("topology-site-not-top", ["topo", "--gpus", "2048", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "sites", "top"],
        {"fabric.yaml": dump_yaml(not_top)})
    add("topology-duplicate-tier", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "leaf", "twice"],
        {"fabric.yaml": dump_yaml(TOPOLOGY) + "\n  leaf: {switch_radix: 64}\n"})
    add("topology-tier-list", ["topo", "--gpus", "64", "--topology", "{dir}/fabric.yaml"], ["fabric.yaml", "tiers"],
        {"fabric.yaml": dump_yaml(with_field(TOPOLOGY, "tiers", [1, 2]))})
    add("topology-scale-up-mismatch", PLAN + ["--topology", "{dir}/fabric.yaml", "--gpus-per-node", "4"], ["scale_up.gpus"],
        {"fabric.yaml": dump_yaml(TOPOLOGY)})
    add("topology-gpus-per-host-not-a-divisor", PLAN + ["--topology", "{dir}/fabric.yaml"], ["scale_up.gpus_per_host"],
        {"fabric.yaml": dump_yaml(with_field(TOPOLOGY, "scale_up.gpus_per_host", 3))})

    # -- Slurm topology.conf --
    slurm = [("huge-range", "SwitchName=s1 Nodes=dgx[05-4008]0\nSwitchName=s2 Nodes=dgx[0-999999999]\n", ["names"]),
             ("nested-ranges", "SwitchName=s1 Nodes=a[1-1000][1-1000][1-1000]\n", ["names"]),
             ("long-prefix", "SwitchName=s1 Nodes=" + "x" * 200000 + "[1-900000]\n", ["names"]),
             ("chain-20000", "SwitchName=s0 Nodes=n1\n" + "".join(f"SwitchName=s{i} Switches=s{i-1}\n" for i in range(1, 20001)), ["levels"]),
             ("cycle", "SwitchName=a Switches=b\nSwitchName=b Switches=a\n", ["cycle"]),
             ("undefined-switch", "SwitchName=a Switches=zz\n", ["zz"]),
             ("reversed-range", "SwitchName=a Nodes=n[9-1]\n", ["range"]),
             ("unbalanced", "SwitchName=a Nodes=n[1-4\n", ["unbalanced"]),
             ("unbalanced-close", "SwitchName=a Nodes=n1-4]\n", ["unbalanced"]),
             ("no-name", "Nodes=n[1-4]\n", ["SwitchName"]),
             ("both", "SwitchName=a Nodes=n1 Switches=b\n", ["either"]),
             ("nothing-below", "SwitchName=a Nodes=\n", ["nothing"]),
             ("twice", "SwitchName=a Nodes=n1\nSwitchName=a Nodes=n2\n", ["twice"]),
             ("unknown-key", "SwitchName=a Nodes=n1 Speed=3\n", ["Speed"]),
             ("bare-word", "SwitchName=a Nodes=n1 hello\n", ["hello"]),
             ("empty", "# nothing\n", ["SwitchName"]),
             ("linkspeed-nan", "SwitchName=a Nodes=n[1-4] LinkSpeed=nan\n", ["LinkSpeed"]),
             ("linkspeed-inf", "SwitchName=a Nodes=n[1-4] LinkSpeed=inf\n", ["LinkSpeed"]),
             ("linkspeed-1e308", "SwitchName=a Nodes=n[1-4] LinkSpeed=1e308\n", ["LinkSpeed"]),
             ("linkspeed-tiny", "SwitchName=a Nodes=n[1-4] LinkSpeed=1e-300\n", ["LinkSpeed"]),
             ("linkspeed-negative", "SwitchName=a Nodes=n[1-4] LinkSpeed=-5\n", ["LinkSpeed"]),
             ("wide-leaf", "SwitchName=a Nodes=n[1-100000]\n", ["ports"]),
             ("many-switches", "".join(f"SwitchName=s{i} Nodes=n{i}\n" for i in range(100001)), ["SwitchName"]),
             ("bad-digits", "SwitchName=a Nodes=n[1-99999999999]\n", ["range"]),
             ("rails-not-dividing", "SwitchName=a Nodes=n[1-4]\nSwitchName=b Nodes=n[1-4]\nSwitchName=c Nodes=n[1-4]\nSwitchName=t Switches=a,b,c\n", ["rails"]),
             ("seven-levels-memoized", "SwitchName=s0 Nodes=n1\n" + "".join(f"SwitchName=s{i} Switches=s{i-1}\n" for i in range(1, 7)), ["levels"]),
             # topology/block: BlockName= and BlockSizes= lines
             ("block-mixed", "BlockName=b1 Nodes=n[1-4]\nSwitchName=s Nodes=n[5-8]\n", ["mixes"]),
             ("block-mixed-one-line", "BlockName=b1 SwitchName=s Nodes=n[1-4]\n", ["mixes"]),
             ("block-node-twice", "BlockName=b1 Nodes=n[1-4]\nBlockName=b2 Nodes=n[4-8]\n", ["n4", "one block"]),
             ("block-switches", "BlockName=b1 Switches=x\n", ["Nodes"]),
             ("block-twice", "BlockName=b1 Nodes=n[1-4]\nBlockName=b1 Nodes=n[5-8]\n", ["twice"]),
             ("block-empty-name", "BlockName= Nodes=n[1-4]\n", ["BlockName"]),
             ("block-nothing-below", "BlockName=b1 Nodes=\n", ["nothing"]),
             ("blocksizes-descending", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=16,4\n", ["BlockSizes", "ascending"]),
             ("blocksizes-zero", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=0\n", ["BlockSizes", "range"]),
             ("blocksizes-word", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=4,abc\n", ["BlockSizes", "abc"]),
             ("blocksizes-empty", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=\n", ["BlockSizes"]),
             ("blocksizes-empty-item", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=4,,8\n", ["BlockSizes"]),
             ("blocksizes-huge", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=99999999999999\n", ["BlockSizes"]),
             ("blocksizes-negative", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=-4\n", ["BlockSizes"]),
             ("blocksizes-too-many", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=1,2,3,4,5,6,7\n", ["BlockSizes", "sizes"]),
             ("blocksizes-too-many-levels", "".join(f"BlockName=b{i} Nodes=n[{4*i+1}-{4*i+4}]\n" for i in range(64)) +
              "BlockSizes=8,16,32,64,128\n", ["BlockSizes", "levels"]),
             ("blocksizes-twice", "BlockName=b1 Nodes=n[1-4]\nBlockSizes=4\nBlockSizes=8\n", ["BlockSizes", "twice"]),
             ("blocksizes-with-name", "BlockName=b1 Nodes=n[1-4] BlockSizes=4\n", ["BlockSizes", "own"]),
             ("blocksizes-in-tree", "SwitchName=a Nodes=n[1-4]\nBlockSizes=4\n", ["BlockSizes", "BlockName"]),
             ("block-wide", "BlockName=b1 Nodes=n[1-100000]\n", ["ports"]),
             ("block-linkspeed-nan", "BlockName=b1 Nodes=n[1-4] LinkSpeed=nan\n", ["LinkSpeed"]),
             ("control-byte", "SwitchName=a Nodes=n\x00[1-4]\n", ["line 1", "control character"]),
             ("empty-group-after-wide-ones", "SwitchName=a Nodes=a[0-9999]b[1-3]c[0-9199]d[]\n", ["line 1", "[]"])]
    for name, text, words in slurm:
        add(f"slurm-{name}", ["topo", "--gpus", "8", "--slurm", "{dir}/topology.conf"], ["topology.conf"] + words,
            {"topology.conf": text})
    # --slurm on the planning commands: exclusive with --topology, --gpus within the file's nodes,
    # the file's errors as on topo.
    plan_no_gpus = PLAN[:3] + PLAN[5:]
    for name, args, words in [
            ("slurm-and-topology", PLAN + ["--slurm", "{dir}/topology.conf", "--topology", "dgx-h100-superpod-ndr"],
             ["--slurm", "--topology", "not both"]),
            ("slurm-gpus-beyond-nodes", plan_no_gpus + ["--gpus", "128", "--slurm", "{dir}/topology.conf"], ["--gpus 128", "64 GPUs", "8 nodes"]),
            ("slurm-search-gpus-beyond-nodes", ["search"] + plan_no_gpus[1:] + ["--gpus", "72", "--slurm", "{dir}/topology.conf"],
             ["--gpus 72", "64 GPUs"]),
            ("slurm-plan-bad-file", plan_no_gpus + ["--slurm", "{dir}/bad.conf"], ["bad.conf", "line 1", "unknown key"]),
            ("slurm-plan-missing-file", plan_no_gpus + ["--slurm", "{dir}/none.conf"], ["none.conf"]),
            ("slurm-sweep-and-topology", ["sweep"] + plan_no_gpus[1:] + ["--gpus", "8,16", "--slurm", "{dir}/topology.conf", "--topology",
                                                                       "dgx-h100-superpod-ndr"], ["not both"]),
            ("slurm-set-tiers", PLAN + ["--slurm", "{dir}/topology.conf", "--set", "fabric.tiers.spine.oversubscription=2"],
             ["--set", "fabric.tiers", "--slurm"]),
            ("slurm-topo-set-tiers", ["topo", "--slurm", "{dir}/topology.conf", "--set", "fabric.tiers.leaf.switch_radix=128"],
             ["--set", "fabric.tiers", "--slurm"]),
            ("slurm-plan-gpus-per-node-odd", plan_no_gpus[:-2] + ["--slurm", "{dir}/topology.conf", "--gpus-per-node", "6"], ["per node"])]:
        add(name, args, words, {"topology.conf": SLURM_OK, "bad.conf": "SwitchName=a Nodes=n1 Speed=3\n"})

    # -- probe and nccl-tests JSON --
    probe_cases = [
        ("gemm-tflops-huge", with_field(PROBE_GEMM, "results", [{"dtype": "bf16", "flops": 1e12, "tflops": {"median": 1e308}}]), "tflops"),
        ("gemm-tflops-tiny", with_field(PROBE_GEMM, "results", [{"dtype": "bf16", "flops": 1e12, "tflops": {"median": 1e-300}}]), "tflops"),
        ("gemm-flops-zero", with_field(PROBE_GEMM, "results", [{"dtype": "bf16", "flops": 0, "tflops": {"median": 500}}]), "flops"),
        ("gemm-flops-huge", with_field(PROBE_GEMM, "results", [{"dtype": "bf16", "flops": 1e300, "tflops": {"median": 500}}]), "flops"),
        ("gemm-dtype", with_field(PROBE_GEMM, "results", [{"dtype": "fp4", "flops": 1e12, "tflops": {"median": 500}}]), "dtype"),
        ("gemm-results-map", with_field(PROBE_GEMM, "results", {"a": 1}), "results"),
        ("gemm-results-empty", with_field(PROBE_GEMM, "results", []), "results"),
        ("gemm-hosts-map", with_field(PROBE_GEMM, "provenance.hosts", [{"a": 1}]), "hosts"),
        ("gemm-kind", with_field(PROBE_GEMM, "provenance.kind", "guessed"), "kind"),
        ("comm-busbw-huge", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], busbw_gb_s=1e308)]), "busbw_gb_s"),
        ("comm-busbw-tiny", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], busbw_gb_s=1e-300)]), "busbw_gb_s"),
        ("comm-ranks-per-node", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], ranks_per_node=4294967296e10)]), "ranks_per_node"),
        ("comm-group-ranks", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], group_ranks=-3)]), "group_ranks"),
        ("comm-bytes", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], bytes="abc")]), "bytes"),
        ("comm-collective", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], collective="broadcast")]), "collective"),
        ("comm-level", with_field(PROBE_COMM, "results", [dict(PROBE_COMM["results"][0], level="rack")]), "level"),
        ("comm-mpi", with_field(PROBE_COMM, "provenance.backend", "mpi"), "backend"),
        ("schema-v2", with_field(PROBE_GEMM, "schema", "trainplan-probe/2"), "schema"),
        ("no-schema", {"hello": 1}, "schema"),
        ("nccl-nthreads-huge", with_field(NCCL_TESTS, "config.nthreads", 9223372036854775807), "nthreads"),
        ("nccl-ngpus-overflow", with_field(with_field(NCCL_TESTS, "config.ngpus", 4294967296), "config.nthreads", 4294967296), "nthreads"),
        ("nccl-version-huge", with_field(NCCL_TESTS, "nccl_version", 1e300), "nccl_version"),
        ("nccl-version-negative", with_field(NCCL_TESTS, "nccl_version", -5), "nccl_version"),
        ("nccl-program", with_field(NCCL_TESTS, "args", ["./broadcast_perf"]), "args"),
        ("nccl-devices-map", with_field(NCCL_TESTS, "config.devices", {"a": 1}), "devices"),
        ("nccl-one-rank", with_field(NCCL_TESTS, "config.devices", [{"hostname": "h1", "device_info": "H100"}]), "devices"),
        ("nccl-busbw-huge", with_field(NCCL_TESTS, "results", [{"size": 1048576, "out_of_place": {"bus_bw": 1e308}}]), "bus_bw"),
        ("nccl-size-huge", with_field(NCCL_TESTS, "results", [{"size": 1e300, "out_of_place": {"bus_bw": 40}}]), "size"),
        ("nccl-renamed-bus-bw", with_field(NCCL_TESTS, "results", [{"size": 1048576, "out_of_place": {"b_s_bw": 40}}]), "results"),
        ("nccl-no-devices", {k: v for k, v in NCCL_TESTS.items() if k != "config"} | {"config": {"nthreads": 1}}, "devices"),
        ("nccl-no-args", {k: v for k, v in NCCL_TESTS.items() if k != "args"}, "args"),
        ("nccl-no-points", with_field(NCCL_TESTS, "results", [{"size": 0, "out_of_place": {"bus_bw": 40}}]), "results"),
    ]
    for name, doc, field in probe_cases:
        add(f"probe-{name}", PLAN + ["--probes", "{dir}/probe.json"], ["probe.json", field], {"probe.json": json.dumps(doc)})
    # A profile's GEMM tile depth (trainplan-profile/1, gemm.<dtype>.tile_fixed_k).
    profile = {"schema": "trainplan-profile/1", "gpu": "H100", "provenance": {"kind": "published", "source": "corpus"},
               "gemm": {"fp8": {"peak_tflops": 1978.9, "provenance": {"kind": "published", "source": "corpus"},
                                "points": [{"flops": 1e12, "tflops": 1300}]}}}
    for value in ["-1", "1e308", "abc"]:
        doc = json.loads(json.dumps(profile))
        doc["gemm"]["fp8"]["tile_fixed_k"] = float(value) if value != "abc" else value
        add(f"profile-tile-fixed-k-{value}", PLAN + ["--probes", "{dir}/profile.json"], ["profile.json", "tile_fixed_k"],
            {"profile.json": json.dumps(doc)})
    add("probe-duplicate-key", PLAN + ["--probes", "{dir}/probe.json"], ["probe.json", "schema", "twice"],
        {"probe.json": json.dumps(PROBE_GEMM)[:-1] + ', "schema": "x"}'})

    # -- economics YAML --
    econ = [("energy.pue", "1e308"), ("energy.pue", "0.5"), ("energy.electricity_usd_per_kwh", "1e308"),
            ("cost.gpu_usd", "1e308"), ("cost.gpu_usd", "{low: 1, typical: 2, high: 1e308}"), ("cost.amortization_years", "1e-300"),
            ("failures.per_gpu_day", "1e308"), ("failures.per_gpu_day", "[1]"), ("failures.causes", "{counts: {a: 0}, kind: published, source: s}"),
            ("checkpoint.storage_gb_s", "1e-300"), ("recovery.hot_spare_nodes", "4294967296"), ("monte_carlo.runs", "1e12"),
            ("monte_carlo.seed", "-1"), ("cost.basis", "lease"), ("recovery.restart_minutes", "1e308"),
            ("checkpoint.interval_minutes", "1e-300"), ("energy.gpu_utilization", "2"),
            ("cost.rent_usd_per_gpu_hour", "{low: 5, typical: 3, high: 4}"), ("energy.pue", "{value: 2, kind: guessed, source: s}"),
            ("cost.switch_usd", "cheap"), ("cost.switch_usd", "-1"),
            ("cost.network_by_speed", "{fast: {switch_usd_per_port: 1, link_usd: 1, nic_usd: 1}}"),
            ("cost.network_by_speed", "{0: {switch_usd_per_port: 1, link_usd: 1, nic_usd: 1}}"),
            ("cost.network_by_speed", "{400: {switch_usd_per_port: 1e308, link_usd: 1, nic_usd: 1}}"),
            ("cost.network_by_speed", "{400: {link_usd: 1, nic_usd: 1}}"),
            ("cost.network_by_speed", "{400: {switch_usd_per_port: 1, link_usd: 1, nic_usd: 1, fibre_usd: 1}}"),
            ("cost.network_by_speed", "[400, 800]")]
    for path, v in econ:
        add(f"economics-{path}-{v}", PLAN + ["--economics", "{dir}/economics.yaml"], ["economics.yaml", path.split(".")[-1]],
            {"economics.yaml": dump_yaml(with_field(ECONOMICS, path, RawText(v)))})
    add("economics-many-keys", PLAN + ["--economics", "{dir}/economics.yaml"], ["economics.yaml", "keys"],
        {"economics.yaml": "energy:\n" + "".join(f"  k{i}: {i}\n" for i in range(200000))})
    add("economics-unknown-key", PLAN + ["--economics", "{dir}/economics.yaml"], ["economics.yaml", "pues"],
        {"economics.yaml": "energy: {pues: 1.2}\n"})
    add("economics-duplicate", PLAN + ["--economics", "{dir}/economics.yaml"], ["economics.yaml", "pue", "twice"],
        {"economics.yaml": "energy: {pue: 1.2, pue: 1.5}\n"})

    # -- validation case files --
    def validation(name, doc, words):
        add(f"validation-{name}", ["validate", "--cases", "{dir}/cases.yaml"], ["cases.yaml"] + words, {"cases.yaml": json.dumps(doc)})
    group = VALIDATION["groups"][0]
    validation("no-groups", {"parameter_counts": []}, ["groups"])
    validation("no-cases", {"groups": [{k: v for k, v in group.items() if k != "cases"}]}, ["cases"])
    validation("groups-map", {"groups": {"a": 1}}, ["groups"])
    validation("group-list", {"groups": [[1, 2]]}, ["groups[0]"])
    validation("cases-map", {"groups": [dict(group, cases={"a": 1})]}, ["cases"])
    validation("case-list", {"groups": [dict(group, cases=[[1]])]}, ["cases[0]"])
    validation("plan-list", {"groups": [dict(group, plan=[1, 2])]}, ["plan"])
    validation("modes-list", {"groups": [dict(group, modes=[1, 2])]}, ["modes"])
    validation("modes-scalar-plan", {"groups": [dict(group, modes={"a": 1})]}, ["modes"])
    validation("assumptions-map", {"groups": [dict(group, assumptions={"a": 1})]}, ["assumptions"])
    validation("assumptions-nested", {"groups": [dict(group, assumptions=[[1]])]}, ["assumptions"])
    validation("fabric-list-value", {"groups": [dict(group, fabric={"nic_gbit_s": [1]})]}, ["nic_gbit_s"])
    validation("auto-map", {"groups": [dict(group, plan=dict(group["plan"], micro_batch={"a": 1}))]}, ["micro_batch"])
    validation("published-negative", {"groups": [dict(group, cases=[{"name": "c", "published": -1}])]}, ["published"])
    validation("metric", {"groups": [dict(group, metric="speed")]}, ["metric"])
    validation("gpu-missing", {"groups": [dict(group, gpu="z9000")]}, ["z9000"])
    validation("tp-huge", {"groups": [dict(group, plan=dict(group["plan"], tp=4294967304))]}, ["tp"])
    huge_auto = dict(group, model=dict(MODEL, layers=10000), plan=dict(group["plan"], tp=1, micro_batch="auto", recompute="auto"))
    del huge_auto["model_preset"]
    validation("auto-candidates-bound", {"groups": [huge_auto]}, ["plan", "limit"])
    validation("parameter-counts-map", {"groups": [group], "parameter_counts": {"a": 1}}, ["parameter_counts"])

    # -- plan flags: each numeric flag with values out of its range --
    flag_ranges = {"--gpus": ("gpus", 1, 10_000_000), "--gpus-per-node": ("gpus_per_node", 1, 8), "--tp": ("tp", 1, 8),
                   "--pp": ("pp", 1, 8), "--cp": ("cp", 1, 8), "--ep": ("ep", 1, 8), "--vp": ("vp", 1, 1 << 20),
                   "--micro-batch": ("micro_batch", 1, 1 << 20), "--global-batch": ("global_batch", 1, 1e11 / 2048),
                   "--seq-len": ("seq_len", 1, 1 << 24), "--zero": ("zero", 0, 3), "--dp": ("dp", 0, 8),
                   "--expert-tp": ("expert_tp", 0, 8), "--recompute-layers": ("recompute_layers", 0, 10000),
                   "--activation-offload-layers": ("activation_offload_layers", 0, 10000)}
    for flag, (field, low, high) in flag_ranges.items():
        for v in bad_values(low, high)[1::2]:
            if v in ("", "[]", "{}"):
                continue
            args = [a for a in PLAN]
            if flag in args:
                args[args.index(flag) + 1] = v
            else:
                args += [flag, v]
            # An error about a value a flag gave names the flag typed, not the option's key.
            add(f"flag{flag}-{v}", args, [flag])
    for flag, v, field in [("--tokens", "1e308T", "--tokens"), ("--tokens", "-1", "--tokens"), ("--tokens", "1e18", "--tokens"),
                           ("--global-batch-tokens", "1e18", "--global-batch-tokens"),
                           ("--global-batch-tokens", "1000", "--global-batch-tokens"),
                           ("--gpus-per-node", "3", "--gpus-per-node"), ("--gpus-per-node", "1000", "--gpus-per-node"),
                           ("--gpus", "4294967360", "--gpus"), ("--tp", "4294967297", "--tp"), ("--tp", "3", "tp"),
                           ("--pp", "1000", "--pp"), ("--precision", "fp4", "--precision"), ("--recompute", "some", "--recompute"),
                           ("--failure-rate", "1e308", "failure-rate"), ("--failure-rate", "nan", "failure-rate"),
                           ("--failure-rate", "often", "failure-rate"), ("--pue", "1e308", "pue"), ("--pue", "0.9", "pue"),
                           ("--gpu-price", "1e308", "gpu-price"), ("--gpu-price", "-5", "gpu-price"),
                           ("--rent-price", "1e308", "rent-price"), ("--electricity-price", "1e308", "electricity-price"),
                           ("--amortization-years", "0", "amortization-years"), ("--amortization-years", "1e-300", "amortization-years"),
                           ("--restart-minutes", "1e308", "restart-minutes"), ("--storage-gb-s", "1e-300", "storage-gb-s"),
                           ("--hot-spares", "4294967296", "hot-spares"), ("--runs", "4294967296", "runs"), ("--runs", "-1", "runs"),
                           ("--seed", "-1", "seed"), ("--seed", "1e300", "seed"), ("--cost-basis", "lease", "cost-basis"),
                           ("--checkpoint-interval", "never", "checkpoint-interval"), ("--checkpoint-interval", "1e-300", "checkpoint-interval"),
                           ("--format", "xml", "format"), ("--model", "no-such-model", "no-such-model"), ("--gpu", "z9000", "z9000"),
                           ("--topology", "no-such-fabric", "no-such-fabric")]:
        args = [a for a in PLAN]
        if flag in args:
            args[args.index(flag) + 1] = v
        else:
            args += [flag, v]
        add(f"flag{flag}-{v}", args, [field])
    # A price the cost basis does not use: refused, naming the flag and the basis it applies with.
    for args, named, basis in [(["--rent-price", "2.5"], "--rent-price", "cost-basis rent"),
                               (["--set", "economics.cost.rent_usd_per_gpu_hour=2"], "--set", "cost-basis rent"),
                               (["--cost-basis", "rent", "--gpu-price", "30000"], "--gpu-price", "cost-basis buy"),
                               (["--cost-basis", "rent", "--amortization-years", "5"], "--amortization-years", "cost-basis buy"),
                               (["--cost-basis", "rent", "--electricity-price", "0.1"], "--electricity-price", "cost-basis buy"),
                               (["--cost-basis", "rent", "--set", "economics.cost.network_by_speed.800.link_usd=1"], "--set", "cost-basis buy")]:
        add(f"flag-price-basis{named}-{args[-1]}", PLAN + args, [named, basis])
    add("flag-failure-rate-no-progress", PLAN + ["--tokens", "1T", "--failure-rate", "0.9", "--restart-minutes", "500", "--runs", "1000"],
        ["failure-rate", "time_to_train_days"])
    add("flag-runs-too-many-draws", PLAN + ["--tokens", "1T", "--failure-rate", "0.5", "--restart-minutes", "1", "--runs", "10M"],
        ["--runs", "limit"])
    add("flag-tp-and-pp-impossible", ["plan", "--model", "llama3-8b", "--gpus", "8", "--tp", "3", "--global-batch", "8"], ["impossible"])
    add("flag-pp-1000", ["plan", "--model", "llama3-8b", "--gpus", "1000", "--pp", "1000", "--global-batch", "8",
                         "--gpus-per-node", "8"], ["pp"])
    add("flag-unknown", PLAN + ["--tpp", "2"], ["tpp"])
    # Boost's error text substitutes %original_token% until none is left: it looped forever (fuzz_set).
    add("flag-placeholder-option", PLAN + ["--%original_token%s"], ["%original_token%s"])
    add("flag-placeholder-switch-value", PLAN + ["--sequence-parallel=%canonical_option%"], ["%canonical_option%"])
    add("flag-placeholder-topo", ["topo", "--gpus", "8", "--%option%"], ["%option%"])
    add("flag-missing-gpus", ["plan", "--global-batch", "8"], ["--gpus"])
    add("flag-both-batches", PLAN + ["--global-batch-tokens", "16384"], ["--global-batch-tokens", "--global-batch "])
    # Token batches (docs/formats.md, "Token batches"): suffixes count powers of 1024, rounding to
    # whole sequences; under half a sequence, a bad suffix or too many tokens is refused.
    token_plan = [a for a in PLAN]
    del token_plan[token_plan.index("--global-batch"):token_plan.index("--global-batch") + 2]
    for v in ["1000", "0.5K", "16Q", "16MiB", "1e12", "-16M", "1e308T"]:
        add(f"flag-global-batch-tokens-{v}", token_plan + ["--global-batch-tokens", v], ["--global-batch-tokens"])
    add("set-global-batch-tokens-half", token_plan + ["--set", "plan.global_batch_tokens=1000"], ["global_batch_tokens"])
    add("flag-probes-empty", PLAN + ["--probes", ""], ["--probes"])

    # -- --set overrides --
    for text, words in [("model.kv_heads=4294967296", ["kv_heads"]), ("model.layers=2147483648", ["layers"]),
                        ("model.layers=4294967296", ["layers"]), ("model.hidden=1e308", ["hidden"]),
                        ("gpu.bf16_dense_tflops=1e-300", ["bf16_dense_tflops"]), ("gpu.hbm_gib=1e308", ["hbm_gib"]),
                        ("plan.tp=4294967297", ["tp"]), ("plan.gpus=4294967360", ["gpus"]), ("plan.seq_len=1e9", ["seq_len"]),
                        ("plan.max_gpus=3", ["max_gpus"]), ("fabric.scale_up.gpus=4294967296", ["gpus"]),
                        ("fabric.nics_per_gpu=4294967296", ["nics_per_gpu"]), ("fabric.tiers.leaf.switch_radix=0", ["switch_radix"]),
                        ("fabric.tiers.spine.max_gpus=4294967296", ["max_gpus"]),
                        ("fabric.tiers.leaf.ports_down=2147483647", ["ports_down"]),
                        ("economics.energy.pue=1e308", ["pue"]), ("calibration.network_efficiency=1e-300", ["network_efficiency"]),
                        ("calibration.kernel_overhead_s=1e308", ["kernel_overhead_s"]), ("calibration.zzz=1", ["zzz"]),
                        ("model.name.x=1", ["name"]), ("nothing", ["--set"]), ("=1", ["--set"]), ("model.=1", ["--set"]),
                        ("universe.x=1", ["universe"]), ("model.moe.top_k=1", ["moe"]),
                        ("model.moe.routed_experts=4294967296", ["routed_experts"]),
                        ("plan.fp8_scaling=sometimes", ["fp8_scaling"]),
                        ("plan.moe_act_recompute=sometimes", ["moe_act_recompute"]),
                        ("plan.moe_act_input_fp8=2", ["moe_act_input_fp8"]),
                        ("plan.tp_backward_overlap=sometimes", ["tp_backward_overlap"]),
                        ("model.attention_chunk=-8192", ["attention_chunk"]),
                        ("model.attention_chunk=1e9", ["attention_chunk"])]:
        add(f"set-{text}", PLAN + ["--set", text], words)
    add("set-bad-utf8", PLAN + ["--set", os.fsdecode(b"model.name=\xff")], ["--set"])

    # -- search, size, sweep, compare, topo bounds --
    search = ["search", "--model", "llama3-8b", "--gpus", "64"]
    for args, words in [(search + ["--max-global-batch-tokens", "1e15"], ["--max-global-batch-tokens", "limit"]),
                        (search + ["--max-global-batch", "1e12"], ["--max-global-batch", "limit"]),
                        (search + ["--max-global-batch-tokens", "1e308T"], ["--max-global-batch-tokens"]),
                        (search + ["--global-batch", "64", "--threads", "1e9"], ["--threads"]),
                        (search + ["--global-batch", "64", "--threads", "0"], ["--threads"]),
                        (search + ["--global-batch", "64", "--tp-max", "1e12"], ["--tp-max"]),
                        (search + ["--global-batch", "64", "--zero-stages", "0,7"], ["--zero-stages"]),
                        (search + ["--global-batch", "64", "--objective", "money"], ["--objective"]),
                        (search + ["--global-batch", "64", "--precisions", "fp4"], ["--precisions"]),
                        (["sweep", "--model", "llama3-8b", "--gpus", "1:1000000000:1", "--global-batch", "64"], ["--gpus", "counts"]),
                        (["sweep", "--model", "llama3-8b", "--gpus", "8:4", "--global-batch", "64"], ["--gpus"]),
                        (["sweep", "--model", "llama3-8b", "--gpus", "8,,16", "--global-batch", "64"], ["--gpus"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "nan", "--global-batch", "64"], ["--deadline-days"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1e308T", "--deadline-days", "30", "--global-batch", "64"], ["tokens"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "30", "--global-batch", "64", "--power-cap-mw", "nan"], ["--power-cap-mw"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "30", "--global-batch", "64", "--power-cap-mw", "1e308"], ["--power-cap-mw"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "30", "--global-batch", "64", "--deadline-basis", "calendar"], ["--deadline-basis"]),
                        (["compare", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8", "--variant", ""], ["--variant"]),
                        (["topo", "--gpus", "4294967296"], ["--gpus"]), (["topo", "--gpus", "-8"], ["--gpus"]),
                        (["topo", "--gpus", "64", "--set", "fabric.planes=1e308"], ["planes"])]:
        add("cmd-" + " ".join(args[:1] + args[5:] if args[0] == "search" else args), args, words)

    # -- schedule YAML (plan/size --schedule) and the calendar flags --
    def schedule_yaml(top=None, phase=None, phases=None, ramp=None):
        lines = ["name: corpus"] + [f"{k}: {v}" for k, v in (top or {}).items()]
        if phases is None:
            fields = dict({"date": "2026-01-05", "gpus": "64"}, **(phase or {}))
            phases = ["{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"]
        lines += ["phases:"] + [f"  - {p}" for p in phases]
        if ramp is not None:
            lines += ["batch_ramp:"] + [f"  - {r}" for r in ramp]
        return "\n".join(lines) + "\n"
    calendar = ["plan", "--model", "llama3-8b", "--seq-len", "4096", "--tokens", "1T", "--global-batch", "128",
                "--tp", "1", "--pp", "1", "--schedule", "{dir}/schedule.yaml"]
    for field, low, high in [("gpus", 1, 10_000_000), ("spare_gpus", 0, 63)]:
        for v in bad_values(low, high)[::2]:
            if v in ("", "[]", "{}"):
                continue
            add(f"schedule-phase-{field}-{v}", calendar, ["schedule.yaml", field],
                {"schedule.yaml": schedule_yaml(phase={field: yaml_value(v)})})
    for field, v in [("granularity_gpus", "4294967296"), ("granularity_gpus", "-1"), ("elastic_shrink", "1"),
                     ("elastic_shrink", "nan"), ("elastic_shrink", "1e308"), ("reference_global_batch", "0"),
                     ("reference_global_batch", "1e308"), ("critical_batch_tokens", "1e308"), ("critical_batch_tokens", "-1M"),
                     ("critical_batch_tokens", "16Q"), ("critical_batch_tokens", "[16M]"), ("batch_law", "moore"),
                     ("phases", "{}"), ("phases", "[]"), ("name", "[1, 2]"), ("sources", "{a: 1}"), ("extra", "1")]:
        add(f"schedule-{field}-{v}", calendar, ["schedule.yaml", field],
            {"schedule.yaml": "name: corpus\n" + f"{field}: {v}\n" +
             ("phases:\n  - {date: 2026-01-05, gpus: 64}\n" if field != "phases" else "")})
    for name, phases, field in [("date-invalid", ["{date: 2026-02-30, gpus: 64}"], "date"),
                                ("date-text", ["{date: tomorrow, gpus: 64}"], "date"),
                                ("date-backwards", ["{date: 2026-01-05, gpus: 64}", "{date: 2025-01-05, gpus: 64}"], "date"),
                                ("date-far", ["{date: 2026-01-05, gpus: 64}", "{date: 9999-01-05, gpus: 64}"], "date"),
                                ("phase-list", ["[1, 2]"], "phases[0]"),
                                ("phase-unknown-key", ["{date: 2026-01-05, gpus: 64, gpu: 8}"], "gpu"),
                                ("many-phases", [f"{{date: {2026 + i // 365}-{1 + (i % 365) // 28:02d}-{1 + i % 28:02d}, gpus: 64}}"
                                                 for i in range(300)], "phases")]:
        add(f"schedule-{name}", calendar, ["schedule.yaml", field], {"schedule.yaml": schedule_yaml(phases=phases)})
    for name, ramp, field in [("ramp-batch-huge", ["{from_tokens: 0, global_batch: 1e12}"], "global_batch"),
                              ("ramp-batch-zero", ["{from_tokens: 0, global_batch: 0}"], "global_batch"),
                              ("ramp-tokens-huge", ["{from_tokens: 0, global_batch: 64}", "{from_tokens: 1e308, global_batch: 128}"], "from_tokens"),
                              ("ramp-tokens-nan", ["{from_tokens: 0, global_batch: 64}", "{from_tokens: nan, global_batch: 128}"], "from_tokens"),
                              ("ramp-not-increasing", ["{from_tokens: 0, global_batch: 64}", "{from_tokens: 0, global_batch: 128}"], "from_tokens"),
                              ("ramp-many-stages", [f"{{from_tokens: {i * 1000}, global_batch: 64}}" for i in range(300)], "batch_ramp")]:
        add(f"schedule-{name}", calendar, ["schedule.yaml", field], {"schedule.yaml": schedule_yaml(ramp=ramp)})
    add("schedule-duplicate-key", calendar, ["schedule.yaml", "name", "twice"],
        {"schedule.yaml": "name: a\nname: b\nphases:\n  - {date: 2026-01-05, gpus: 64}\n"})
    add("schedule-bad-utf8", calendar, ["schedule.yaml", "UTF-8"],
        {"schedule.yaml": b"name: \xff\xfe\nphases:\n  - {date: 2026-01-05, gpus: 64}\n"})
    add("schedule-missing", calendar[:-1] + ["{dir}/none.yaml"], ["none.yaml"])
    ok_schedule = {"schedule.yaml": schedule_yaml()}
    size_calendar = ["size"] + calendar[1:]
    for args, words in [(calendar + ["--gpus", "64"], ["--gpus"]),
                        (size_calendar + ["--finish-by", "2026-13-01"], ["--finish-by"]),
                        (size_calendar + ["--finish-by", "soon"], ["--finish-by"]),
                        (PLAN + ["--finish-by", "2026-06-01"], ["--finish-by"]),
                        (size_calendar + ["--largest-useful", "8:4"], ["--largest-useful"]),
                        (size_calendar + ["--largest-useful", "8,24"], ["--largest-useful"]),
                        (size_calendar + ["--largest-useful", "8:4294967296"], ["--largest-useful"]),
                        (size_calendar + ["--largest-useful", "8:64", "--batches", "1:100:1"], ["--batches"]),
                        (size_calendar + ["--largest-useful", "8:64", "--batches", "0"], ["--batches"]),
                        (size_calendar + ["--largest-useful", "8:64", "--batches", "abc"], ["--batches"]),
                        (size_calendar + ["--largest-useful", "8:64", "--finish-by", "2026-06-01"], ["--largest-useful"]),
                        (PLAN + ["--batches", "64"], ["--batches"]),
                        (calendar + ["--svg", "{dir}"], ["--svg", "directory"])]:
        add("calendar-" + " ".join(args[14:] if args[0] in ("plan", "size") and "--schedule" in args else args[10:]),
            args, words, ok_schedule)

    # -- decision report paths (--report, trainplan report) --
    report = ["report", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "128", "--seq-len", "4096", "--tokens", "1T"]
    for args, words in [(report + ["-o", "{dir}"], ["directory"]), (report + ["-o", "{dir}/fifo"], ["FIFO"]),
                        (report + ["-o", "{dir}/no/such/folder/r.html"], ["cannot write"]),
                        (report + ["--top", "1000", "-o", "{dir}/r.html"], ["--top"]),
                        (report + ["--top", "-1", "-o", "{dir}/r.html"], ["--top"]),
                        (report + ["--deadline-days", "nan", "-o", "{dir}/r.html"], ["--deadline-days"]),
                        (report + ["--deadline-days", "1e308", "-o", "{dir}/r.html"], ["--deadline-days"]),
                        (report + ["--deadline-days", "inf", "-o", "{dir}/r.html"], ["--deadline-days"]),
                        (["size", "--model", "llama3-8b", "--tokens", "1T", "--deadline-days", "1e308", "--global-batch", "64"], ["--deadline-days"]),
                        (report + ["--sweep-gpus", "1:1000000000:1", "-o", "{dir}/r.html"], ["--sweep-gpus"]),
                        (report + ["--sweep-gpus", "8:4", "-o", "{dir}/r.html"], ["--sweep-gpus"]),
                        (report[:9] + ["-o", "{dir}/r.html"], ["--tokens"]),
                        (PLAN + ["--report", "{dir}"], ["--report", "directory"]),
                        (PLAN + ["--report", "{dir}/fifo"], ["--report", "FIFO"]),
                        (PLAN + ["--report", ""], ["--report"])]:
        add("report-" + " ".join(args[11:] if args[0] == "report" else args[10:]), args, words,
            special="fifo" if any("fifo" in a for a in args) else None)

    # -- Megatron-LM names, --megatron-args FILE, --nemo-recipe FILE (docs/formats.md) --
    BASE = ["plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8"]
    for flag, v in [("--tensor-model-parallel-size", "0"), ("--tensor-model-parallel-size", "abc"),
                    ("--pipeline-model-parallel-size", "4294967296"), ("--context-parallel-size", "-1"),
                    ("--expert-model-parallel-size", "1e308"), ("--micro-batch-size", "0.5"), ("--global-batch-size", "nan"),
                    ("--seq-length", "0"), ("--num-layers", "0"), ("--num-layers", "1e308"), ("--hidden-size", "-4096"),
                    ("--ffn-hidden-size", "abc"), ("--num-attention-heads", "7"), ("--num-query-groups", "3"),
                    ("--num-experts", "1"), ("--moe-router-topk", "99"), ("--vocab-size", "0"), ("--kv-channels", "inf"),
                    ("--recompute-granularity", "most"), ("--fp8-format", "e5m2"), ("--num-layers-per-virtual-pipeline-stage", "3"),
                    ("--num-layers-per-virtual-pipeline-stage", "0"), ("--virtual-pipeline-model-parallel-size", "0")]:
        base = BASE[:2] + ["mixtral-8x7b"] + BASE[3:] if "expert" in flag or "moe" in flag else BASE
        add(f"megatron-flag{flag}-{v}", base + [flag, v], [flag])
    add("megatron-flag-conflict", BASE + ["--tp", "8", "--tensor-model-parallel-size", "4"], ["--tensor-model-parallel-size", "--tp"])
    add("megatron-flag-vp-conflict", BASE + ["--vp", "2", "--pp", "2", "--num-layers-per-virtual-pipeline-stage", "8"],
        ["--num-layers-per-virtual-pipeline-stage", "--vp"])
    add("megatron-flag-vp-without-pp", BASE + ["--num-layers-per-virtual-pipeline-stage", "8"],
        ["--num-layers-per-virtual-pipeline-stage", "--pipeline-model-parallel-size"])
    SHAPE = "--num-layers 4 --hidden-size 512 --num-attention-heads 8 --vocab-size 32000\n"
    ARGS = ["plan", "--megatron-args", "{dir}/run.args", "--gpus", "8", "--global-batch", "8"]
    for name, text, words in [
            ("variable", SHAPE + "--tensor-model-parallel-size $TP\n", ["line 2", "$TP"]),
            ("braced-variable", SHAPE + "--seq-length ${SEQ:-4096}\n", ["line 2", "$"]),
            ("quoted-variable", SHAPE + '--seq-length "$SEQ"\n', ["line 2", "$"]),
            ("command-substitution", SHAPE + "--seq-length `echo 4096`\n", ["line 2", "shell syntax"]),
            ("pipe", SHAPE + "--seq-length 4096 | tee log\n", ["line 2", "shell syntax"]),
            ("array", "MODEL_ARGS=(\n" + SHAPE, ["line 1", "shell syntax"]),
            ("program-first", "torchrun pretrain_gpt.py " + SHAPE, ["line 1", "torchrun"]),
            ("unbalanced-quote", SHAPE + "--split '99,1,0\n", ["line 2", "quote"]),
            ("twice", SHAPE + "--num-layers 8\n", ["line 2", "--num-layers", "line 1"]),
            ("switch-with-value", SHAPE + "--swiglu yes\n", ["line 2", "--swiglu", "switch"]),
            ("two-values", SHAPE + "--seq-length 4096 8192\n", ["line 2", "--seq-length", "one value"]),
            ("not-a-number", SHAPE + "--seq-length long\n", ["line 2", "--seq-length", "number"]),
            ("bad-word", SHAPE + "--recompute-granularity most\n", ["line 2", "--recompute-granularity", "full | selective"]),
            ("heads-not-dividing", "--num-layers 4\n--hidden-size 512\n--num-attention-heads 7\n--vocab-size 32000\n",
             ["line 3", "--num-attention-heads", "heads"]),
            ("layers-huge", "--num-layers 4294967296\n--hidden-size 512 --num-attention-heads 8 --vocab-size 32000\n",
             ["line 1", "--num-layers", "layers"]),
            # found by fuzz_megatron_args: the ffn derived from a hidden size of 4.1e80 overflowed its cast
            ("hidden-huge", "--num-layers 4\n--hidden-size " + "4" + "9" * 80 + "6\n--num-attention-heads 8 --vocab-size 32000\n",
             ["line 2", "--hidden-size", "hidden"]),
            ("tp-zero", SHAPE + "--tensor-model-parallel-size 0\n", ["line 2", "--tensor-model-parallel-size", "tp"]),
            # a setting not modelled (a warning) and a bad one: the error line alone
            ("not-modelled-and-bad", SHAPE + "--moe-grouped-gemm\n--tensor-model-parallel-size 0\n",
             ["line 3", "--tensor-model-parallel-size"]),
            ("no-vocabulary", "--num-layers 4 --hidden-size 512 --num-attention-heads 8 --tokenizer-type Llama2Tokenizer\n",
             ["run.args", "vocab", "--vocab-size"]),
            ("vocab-divisor-zero", SHAPE + "--make-vocab-size-divisible-by 0\n", ["line 2", "--make-vocab-size-divisible-by"]),
            ("empty-name", SHAPE + "--= 3\n", ["line 2", "names no argument"]),
            ("bad-utf8", b"--num-layers 4 \xff\xfe\n", ["run.args", "UTF-8"])]:
        add(f"megatron-args-{name}", ARGS, ["--megatron-args", "run.args"] + words, {"run.args": text})
    add("megatron-args-missing", ["plan", "--megatron-args", "{dir}/none.args", "--gpus", "8", "--global-batch", "8"],
        ["none.args"])
    add("megatron-args-and-nemo", ARGS + ["--nemo-recipe", "{dir}/run.args"], ["--megatron-args", "--nemo-recipe"],
        {"run.args": SHAPE})
    RECIPE = {"model": {"config": {"num_layers": 4, "hidden_size": 512, "num_attention_heads": 8, "vocab_size": 32000}},
              "trainer": {"num_nodes": 1, "devices": 8, "strategy": {"tensor_model_parallel_size": 1}},
              "data": {"global_batch_size": 8, "micro_batch_size": 1, "seq_length": 2048}}
    NEMO = ["plan", "--nemo-recipe", "{dir}/recipe.yaml"]
    for name, path, value, words in [
            ("tp-zero", "trainer.strategy.tensor_model_parallel_size", "0", ["tensor_model_parallel_size", "tp"]),
            ("tp-text", "trainer.strategy.tensor_model_parallel_size", "two", ["tensor_model_parallel_size", "number"]),
            ("sp-maybe", "trainer.strategy.sequence_parallel", "maybe", ["sequence_parallel", "true | false"]),
            ("layers-huge", "model.config.num_layers", "4294967296", ["num_layers", "layers"]),
            ("heads-not-dividing", "model.config.num_attention_heads", "7", ["num_attention_heads", "heads"]),
            ("seq-conflict", "model.config.seq_length", "4096", ["seq_length", "2048", "4096"]),
            ("fp8-word", "model.config.fp8", "e5m2", ["fp8", "hybrid | e4m3"]),
            ("strategy-scalar", "trainer.strategy", "3", ["trainer.strategy", "mapping"]),
            ("batch-nan", "data.global_batch_size", "nan", ["global_batch_size"]),
            ("dropout-text", "model.config.hidden_dropout", "high", ["hidden_dropout", "number"]),
            ("nodes-text", "trainer.num_nodes", "many", ["num_nodes", "number"])]:
        add(f"nemo-recipe-{name}", NEMO, ["--nemo-recipe", "recipe.yaml"] + words,
            {"recipe.yaml": dump_yaml(with_field(RECIPE, path, RawText(value)))})
    add("nemo-recipe-list", NEMO, ["recipe.yaml", "mapping"], {"recipe.yaml": "- a\n- b\n"})
    add("nemo-recipe-duplicate", NEMO, ["recipe.yaml", "num_layers", "twice"],
        {"recipe.yaml": "model:\n  config:\n    num_layers: 4\n    num_layers: 8\n"})
    add("nemo-recipe-no-vocab", NEMO, ["recipe.yaml", "vocab"],
        {"recipe.yaml": dump_yaml({"model": {"config": {"num_layers": 4, "hidden_size": 512, "num_attention_heads": 8}},
                                   "trainer": {"num_nodes": 1, "devices": 8}, "data": {"global_batch_size": 8}})})

    # -- special and oversized files, for every file-reading flag --
    file_flags = [("model", PLAN[:2] + ["{path}"] + PLAN[3:]), ("gpu", PLAN + ["--gpu", "{path}"]),
                  ("topology", PLAN + ["--topology", "{path}"]), ("probes", PLAN + ["--probes", "{path}"]),
                  ("economics", PLAN + ["--economics", "{path}"]), ("slurm", ["topo", "--gpus", "8", "--slurm", "{path}"]),
                  ("plan-slurm", PLAN[:3] + PLAN[5:] + ["--slurm", "{path}"]),
                  ("cases", ["validate", "--cases", "{path}"]), ("schedule", calendar[:-1] + ["{path}"]),
                  ("megatron-args", PLAN + ["--megatron-args", "{path}"]), ("nemo-recipe", PLAN + ["--nemo-recipe", "{path}"])]
    for what, args in file_flags:
        for kind, path, words in [("fifo", "{dir}/fifo", ["FIFO"]), ("dev-zero", "/dev/zero", ["device"]),
                                  ("directory", "{dir}", ["directory"]), ("oversized", "{dir}/big.yaml", ["MiB"])]:
            if what in ("model", "gpu", "topology", "schedule") and kind in ("fifo", "dev-zero", "directory"):
                words = ["no such file"]  # a name that is not a regular file is looked up as a preset
            add(f"file-{what}-{kind}", [a.replace("{path}", path) for a in args], words,
                special=kind)
    return cases


# ---------------------------------------------------------------------------------------------

def prepare(case, root):
    folder = os.path.join(root, "".join(c if c.isalnum() or c in "-_." else "_" for c in case["name"])[:120])
    os.makedirs(folder, exist_ok=True)
    for name, text in case["files"].items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode())
    if case["special"] == "fifo" and not os.path.exists(os.path.join(folder, "fifo")):
        os.mkfifo(os.path.join(folder, "fifo"))
    if case["special"] == "oversized":
        with open(os.path.join(folder, "big.yaml"), "wb") as f:
            f.truncate(17 << 20)  # sparse: no disk used
    return folder


def run_case(case, trainplan, root, timeout):
    folder = prepare(case, root)
    args = [a.replace("{dir}", folder) for a in case["args"]]
    try:
        p = subprocess.run([trainplan] + [os.fsencode(a) for a in args], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"hang: no answer within {timeout} s"
    err = p.stderr.decode("utf-8", "replace")
    lines = [line for line in err.splitlines() if line.strip()]
    problems = []
    if p.returncode < 0:
        problems.append(f"crash: signal {-p.returncode}")
    elif p.returncode == 3:
        problems.append("internal error (exit 3)")
    elif p.returncode != 2:
        problems.append(f"exit {p.returncode}, expected 2")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, expected 1")
    elif not lines[0].startswith(f"trainplan {args[0]}: error: "):
        problems.append("stderr does not start with 'trainplan CMD: error: '")
    for word in case["words"]:
        choices = word if isinstance(word, tuple) else (word,)  # a tuple: any one of them
        if not any(w.replace("{dir}", folder) in err for w in choices):
            problems.append(f"stderr does not name '{' or '.join(choices)}'")
    if problems:
        return "; ".join(problems) + "\n    stderr: " + err.strip()[:400]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainplan", required=True)
    parser.add_argument("--work", help="folder for the case files (default: a temporary one, removed after)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--only", default="")
    parser.add_argument("--list", action="store_true")
    a = parser.parse_args()
    cases = [c for c in build_cases() if a.only in c["name"]]
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1][:5]
    if a.list:
        for c in cases:
            print(c["name"], " ".join(c["args"]))
        return 0
    root = a.work or tempfile.mkdtemp(prefix="trainplan-corpus-")
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = pool.map(lambda c: (c, run_case(c, os.path.abspath(a.trainplan), root, a.timeout)), cases)
        for case, problem in results:
            if problem:
                failures.append(f"{case['name']}: {problem}")
    if not a.work:
        shutil.rmtree(root, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"adversarial corpus: {len(cases) - len(failures)} of {len(cases)} cases gave exit 2 and one line naming file/flag and field")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
