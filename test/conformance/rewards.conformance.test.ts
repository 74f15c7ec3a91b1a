import { differenceReward, passRateReward, ratioReward } from '@rlaif/core';
import { describeRewardFnConformance } from '@rlaif/core/testing';

describeRewardFnConformance('ratio', { makeRewardFn: () => ratioReward() });
describeRewardFnConformance('difference', { makeRewardFn: () => differenceReward() });
describeRewardFnConformance('pass_rate', { makeRewardFn: () => passRateReward() });
