import { dynamoChangeRequestRepository } from "@allot/adapters";
import type { ChangeDeps, ChangeRequestRepository } from "@allot/core/award";
import type { ChangeNotificationDeps } from "@allot/core/notification";
import { doc, once, tableName } from "./deps.js";
import { awardDeps } from "./deps-awards.js";
import { awardNotificationDeps } from "./deps-notifications.js";

export const changeRepository = once(
  (): ChangeRequestRepository => dynamoChangeRequestRepository(doc(), tableName()),
);

export const changeDeps = once((): ChangeDeps => ({ ...awardDeps(), changes: changeRepository() }));

export const changeNotificationDeps = once(
  (): ChangeNotificationDeps => ({ ...awardNotificationDeps(), changes: changeRepository() }),
);
