import { awards } from "./awards.js";
import type { StackModule } from "./module.js";
import { notifications } from "./notifications.js";
import { outputs } from "./outputs.js";
import { platform } from "./platform.js";
import { programs } from "./programs.js";
import { proposals } from "./proposals.js";
import { reports } from "./reports.js";
import { reservations } from "./reservations.js";
import { reviews } from "./reviews.js";
import { usage } from "./usage.js";

export const modules: StackModule[] = [platform, programs, proposals, reviews, awards, notifications];
modules.push(usage);
modules.push(reservations);
modules.push(outputs);
modules.push(reports);
