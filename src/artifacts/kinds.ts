/**
 * @fileoverview Artifact kinds and references. The on-disk formats are contracts (DESIGN.md):
 *
 * | kind        | folder contents                                                          |
 * |-------------|--------------------------------------------------------------------------|
 * | documents   | `<split>-<nnnnn>.jsonl` shards of {"id","text","meta"}; split is `all`   |
 * |             | for unsplit sets, or train/validation/test after `split`                 |
 * | tokenizer   | `tokenizer.json` (Hugging Face format)                                    |
 * | tokens      | `<split>.bin` (uint16 LE, uint32 when vocab > 65535) + `meta.json` +      |
 * |             | `tokenizer.json`                                                          |
 * | model       | `config.json` + `model.safetensors` (HF GPT-2 layout) + `tokenizer.json` |
 * |             | (+ `tensorboard/` event files when the stage ran with `tensorboard: true`) |
 * | metrics     | `metrics.json` (flat name → number) + optional `history.jsonl`            |
 * | sft         | JSONL `{"messages":[…]}` or `{"instruction","input","output"}`           |
 * | preferences | JSONL `{"prompt","chosen","rejected"}` (or chat form): train.jsonl        |
 * |             | (+ validation.jsonl, test.jsonl)                                         |
 * | reward      | HF GPT2ForSequenceClassification folder: `config.json` (num_labels 1) +  |
 * |             | `model.safetensors` (transformer.* + `score.weight` [1, C]) +            |
 * |             | `tokenizer.json` + `reward_stats.json` {"mean","std","samples"}          |
 */
const ARTIFACT_KINDS = [
  'documents', 'tokenizer', 'tokens', 'model', 'metrics', 'sft', 'preferences', 'reward',
] as const;

export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** A committed artifact, as passed to a stage and across process boundaries (plain data). */
export interface ArtifactRef {
  kind: ArtifactKind;
  /** Absolute path of the artifact folder. */
  path: string;
  /** Content hash of the folder (sha256 over sorted relative paths and file hashes). */
  hash: string;
  /** `stage` or `stage.output` that produced it. */
  from: string;
}
