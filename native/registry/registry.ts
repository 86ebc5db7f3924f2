// The model registry's repositories, one instance per Core: registered models (with their
// versions), MLflow 3 logged models, and saved promotion rules.
import type { Database } from '../store/open-database';
import { RegisteredModels } from './registered-models';
import { LoggedModels } from './logged-models';
import { PromotionRules } from './promotion-rules';

export class Registry {
  readonly models: RegisteredModels;
  readonly loggedModels: LoggedModels;
  readonly rules: PromotionRules;

  constructor(db: Database) {
    this.models = new RegisteredModels(db);
    this.loggedModels = new LoggedModels(db);
    this.rules = new PromotionRules(db);
  }
}
