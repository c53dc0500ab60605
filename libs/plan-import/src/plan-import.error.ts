/** Input the importer cannot read at all; the message is meant for the person who uploaded it. */
export class PlanImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanImportError';
  }
}
