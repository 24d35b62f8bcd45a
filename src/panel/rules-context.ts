import { createContext } from 'preact';
import type { RulesSource } from './rules/rules-store';

/**
 * The user's rules (rules/rules-store.ts), for the parts of the panel that add to them from
 * deep inside it (a connection's "Mock from recording"); undefined where the panel has none.
 */
export const RulesContext = createContext<RulesSource | undefined>(undefined);
