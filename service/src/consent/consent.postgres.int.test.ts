import { postgresHarness } from '../testing/ledger-harness.js';
import { consentContract } from './consent.contract.js';

describe('consent on PostgreSQL', () => consentContract(postgresHarness));
