import type { StackModule } from "./module.js";
import { platform } from "./platform.js";
import { proposals } from "./proposals.js";

export const modules: StackModule[] = [platform, proposals];
