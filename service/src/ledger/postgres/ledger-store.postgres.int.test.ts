import { postgresHarness } from '../../testing/ledger-harness.js';
import { ledgerHoldsContract } from '../ledger-holds.contract.js';
import { ledgerStoreContract } from '../ledger-store.contract.js';

describe('LedgerStore contract: PostgreSQL', () => ledgerStoreContract(postgresHarness));
describe('Ledger holds contract: PostgreSQL', () => ledgerHoldsContract(postgresHarness));
