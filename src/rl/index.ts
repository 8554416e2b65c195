/**
 * @fileoverview RL math for the ppo stage: GAE and whitening (./gae.ts), KL estimators,
 * shaped rewards and the KL controllers (./kl.ts), pure functions on arrays; and PPO's
 * clipped losses in TF.js (./losses.ts).
 */
export { gae, maskedMoments, responseMask, whiten, type Advantages } from './gae.js';
export { AdaptiveKlController, FixedKlController, klEstimate, shapedRewards, tokenKl, type KlController, type KlEstimator } from './kl.js';
export { clippedPolicyLoss, clippedValueLoss, meanEntropy, tokenLogprobs, type PolicyLoss, type ValueLoss } from './losses.js';
export { ValueHead, V_HEAD_BIAS, V_HEAD_WEIGHT } from './value-head.js';
export { gatherRows, ppoLoss, type PpoLossConfig, type PpoLossInputs } from './ppo-loss.js';
