export {
  planBlueGreen,
  nextPoolName,
  greenErrorCheck,
  WEIGHT_STEPS,
  POOL_LABEL,
  type BlueGreenPlan,
  type BlueGreenStep,
} from './plan.js';
export { renderBlueGreen } from './render.js';
