// An edit that cannot be applied safely: the fix engine reports it and leaves the file alone.

export class FixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixError';
  }
}
