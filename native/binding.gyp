{
  "variables": {
    "openblas%": "<!(node detect.mjs openblas)",
    "march%": "<!(node detect.mjs arch)"
  },
  "targets": [
    {
      "target_name": "trainyard_native",
      "sources": [
        "src/addon.cc",
        "src/gemm.cc",
        "src/matmul.cc",
        "src/elementwise.cc",
        "src/reduce.cc",
        "src/fused.cc",
        "src/adamw.cc",
        "src/attention.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "<(march)", "-fopenmp", "-std=c++17", "-fno-math-errno", "-fno-trapping-math"],
      "libraries": ["-fopenmp"],
      "conditions": [
        ["openblas==1", { "defines": ["TY_OPENBLAS"], "libraries": ["-lopenblas"] }]
      ]
    }
  ]
}
