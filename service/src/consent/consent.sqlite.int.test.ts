import { sqliteHarness } from '../testing/ledger-harness.js';
import { consentContract } from './consent.contract.js';

describe('consent on SQLite', () => consentContract(sqliteHarness));
